using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Services;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo.Pages;

/// <summary>
/// Step 2: the code. Live delivery status, attempts left, resend with its countdown, change number. Every post answers
/// 303 back to this page (or on to the next), its message carried in TempData, so Back and reload never post again.
/// </summary>
public sealed class VerifyModel(
    VerificationService verifications,
    SignUpAccounts accounts,
    SignUpSession session,
    ServiceCatalog services,
    TimeProvider time,
    OneMsgMode mode) : PageModel
{
    public SignUpState State { get; private set; } = null!;

    public SignUpStatus Status { get; private set; } = null!;

    /// <summary>The settings of the session's service (the default one) as committed now: a change to it shows on the next page.</summary>
    private ServiceSettings _settings = null!;

    /// <summary>Whether the code may go by SMS now (<see cref="VerificationSnapshot.SmsAvailable"/>).</summary>
    private bool _smsAvailable;

    /// <summary>Whether the latest send went by SMS.</summary>
    private bool _latestBySms;

    [TempData(Key = "Verify.CodeError")]
    public string? CodeError { get; set; }

    [TempData(Key = "Verify.FormError")]
    public string? FormError { get; set; }

    [TempData(Key = "Verify.Notice")]
    public string? Notice { get; set; }

    public bool IsSandbox => mode.IsSandbox;

    public string DisplayPhone => SignUpPhone.Display(State.Phone);

    public string CountdownText => Status switch
    {
        { Ended: true } => "",
        { ResendInSeconds: null } => "No more codes can be sent for this verification.",
        { ResendInSeconds: > 0 and var seconds } => $"You can ask for a new code in {seconds} s",
        _ => "",
    };

    public static string AttemptsText(int attemptsLeft) => attemptsLeft == 1 ? "1 attempt left" : $"{attemptsLeft} attempts left";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return RedirectToPage("/Index");
        }

        return Status.Stage == SignUpStage.Approved ? await FinishAsync(cancellationToken) : Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return SeeOther.Page(this, "/Index");
        }

        // Read from the form, not taken as a handler parameter: Razor Pages logs handler arguments at Trace, code included.
        // The engine reads spaces, dashes and any script's digits, and refuses for free what can never be a code.
        var code = Request.HasFormContentType ? Request.Form["Code"].ToString() : "";
        var result = await verifications.CheckAsync(State.Owner, State.VerificationId, code, cancellationToken);
        if (result.Succeeded || result.Refusal?.Reason == Refusal.AlreadyApproved)
        {
            // Only this session could have approved it: to any other session the verification does not exist.
            return await FinishAsync(cancellationToken);
        }

        var refusal = result.Refusal!;
        // Once no attempt is left the page itself says so (its heading): no code field, no error under it.
        CodeError = refusal.Reason switch
        {
            Refusal.InvalidRequest => $"Enter the {_settings.CodeLength}-digit code from the {(_latestBySms ? "SMS" : "WhatsApp message")}.",
            Refusal.WrongCode when refusal.AttemptsLeft > 0 => $"That code isn't right. {AttemptsText(refusal.AttemptsLeft.Value)}.",
            Refusal.WrongCode or Refusal.MaxAttemptsReached or Refusal.Expired or Refusal.Canceled or Refusal.Failed => null,
            _ => refusal.Message,
        };
        return SeeOther.Page(this, "/Verify");
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return SeeOther.Page(this, "/Index");
        }

        if (Status.Stage == SignUpStage.ChangeNumber)
        {
            // A page from before the failure was known: sending again to a number that cannot get the code cannot work.
            FormError = "This number can't get the code on WhatsApp. Change the number.";
        }
        else if (Status.Ended)
        {
            await StartAgainAsync(cancellationToken);
        }
        else
        {
            // Once the code went by SMS, "Resend code" sends it by SMS again: WhatsApp is what did not reach the user.
            var result = await verifications.ResendAsync(State.Owner, State.VerificationId, cancellationToken, channel: _latestBySms ? CodeChannels.SmsName : null);
            if (result.Refusal is { } refusal)
            {
                FormError = ResendRefusalText(refusal);
            }
            else
            {
                Notice = _latestBySms ? "We sent the code again by SMS." : "We sent the code again.";
            }
        }

        return SeeOther.Page(this, "/Verify");
    }

    /// <summary>
    /// "Send by SMS instead": the same code, now, by SMS. The page's SMS notice then says so (the verification records
    /// the fallback), so nothing is carried here on success; a refusal (limits) is said as a resend's is.
    /// </summary>
    public async Task<IActionResult> OnPostSendSmsAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return SeeOther.Page(this, "/Index");
        }

        // A button from an older page sends nothing: once the code went by SMS (the automatic fallback may have come
        // meanwhile) the notice says so, and a second SMS would only cost; after the end the page shows what can be done.
        if (_smsAvailable)
        {
            var result = await verifications.ResendAsync(State.Owner, State.VerificationId, cancellationToken, channel: CodeChannels.SmsName);
            if (result.Refusal is { } refusal)
            {
                FormError = ResendRefusalText(refusal);
            }
        }
        else if (!Status.Ended && Status.SmsNotice is null)
        {
            FormError = "The code can't be sent by SMS here.";
        }

        return SeeOther.Page(this, "/Verify");
    }

    private static string ResendRefusalText(Refused refusal) =>
        refusal.Reason == Refusal.Cooldown && refusal.RetryAfter is { } wait
            ? $"You can ask for a new code in {ApiProblems.RetryAfterSeconds(wait)} seconds."
            : VisitorSentence.Of(refusal);

    public async Task<IActionResult> OnPostChangeNumberAsync(CancellationToken cancellationToken)
    {
        if (session.Read(Request) is { } state)
        {
            await verifications.CancelAsync(state.Owner, state.VerificationId, cancellationToken);
            TempData["Name"] = state.Name;
            TempData["Phone"] = SignUpPhone.Display(state.Phone);
        }

        // The sign-up page puts the focus on the number, the field to change.
        TempData[IndexModel.FocusPhoneKey] = true;
        session.Clear(Response);
        return SeeOther.Page(this, "/Index");
    }

    /// <summary>The verification is over (expired, out of attempts, a failure a new code may pass): a new one, same number.</summary>
    private async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        var started = await verifications.StartAsync(State.Owner,
            new StartRequest(State.Phone, ClientRef: IndexModel.ClientRef, ClientIp: RateLimits.ClientAddress(HttpContext)), cancellationToken);
        if (started.Refusal is { } startRefusal)
        {
            FormError = VisitorSentence.Of(startRefusal);
            return;
        }

        session.Save(Response, State with { VerificationId = started.Verification!.Id });
        Notice = "We sent you a new code.";
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        State = session.Read(Request)!;
        if (State is null)
        {
            return false;
        }

        var snapshot = await verifications.GetAsync(State.Owner, State.VerificationId, cancellationToken);
        if (snapshot is null)
        {
            session.Clear(Response);
            return false;
        }

        _settings = await services.CurrentSettingsAsync(State.Owner.Service, cancellationToken) ?? ServiceSettings.From(services.Global);
        Status = SignUpStatus.From(snapshot, _settings, time.GetUtcNow());
        _smsAvailable = snapshot.SmsAvailable;
        _latestBySms = SignUpSms.LatestBySms(snapshot);
        return true;
    }

    /// <summary>
    /// The number is proven by this session: create its account, or find the one it has (said only now, never before the
    /// code). An approved verification signs in once; a copy of an old cookie replayed later signs in no one.
    /// </summary>
    private async Task<IActionResult> FinishAsync(CancellationToken cancellationToken)
    {
        var signedIn = await accounts.SignInAsync(State.VerificationId, State.Name, State.Phone, cancellationToken);
        session.Clear(Response);
        if (signedIn is not { } result)
        {
            return SeeOther.Page(this, "/Index");
        }

        var (account, created) = result;
        session.SaveWelcome(Response, new WelcomeState(account.Name, account.Phone, created, account.VerifiedAt));
        return SeeOther.Page(this, "/Welcome");
    }
}
