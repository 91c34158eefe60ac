using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Verification;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo.Pages;

/// <summary>Step 2: the code. Live delivery status, attempts left, resend with its countdown, change number.</summary>
public sealed class VerifyModel(
    VerificationService verifications,
    SignUpAccounts accounts,
    SignUpSession session,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    OneMsgMode mode) : PageModel
{
    public SignUpState State { get; private set; } = null!;

    public SignUpStatus Status { get; private set; } = null!;

    public string? CodeError { get; private set; }

    public string? FormError { get; private set; }

    public string? Notice { get; private set; }

    public bool IsSandbox => mode.IsSandbox;

    public string DisplayPhone => "+" + State.Phone;

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

        return Status.Status == VerificationStatus.Approved.ToWireName() ? await FinishAsync(cancellationToken) : Page();
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return RedirectToPage("/Index");
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
        CodeError = refusal.Reason switch
        {
            Refusal.InvalidRequest => $"Enter the {options.Value.CodeLength}-digit code from the WhatsApp message.",
            Refusal.WrongCode when refusal.AttemptsLeft > 0 => $"That code isn't right. {AttemptsText(refusal.AttemptsLeft.Value)}.",
            Refusal.WrongCode or Refusal.MaxAttemptsReached => "That code isn't right, and no attempts are left. Ask for a new code to try again.",
            Refusal.Expired => "This code has expired. Ask for a new code.",
            Refusal.Canceled or Refusal.Failed => "This code can no longer be used. Ask for a new code.",
            _ => refusal.Message,
        };
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return RedirectToPage("/Index");
        }

        if (Status.Ended)
        {
            // The verification is over (expired, failed, out of attempts): a new one for the same number.
            var started = await verifications.StartAsync(State.Owner,
                new StartRequest(State.Phone, ClientRef: IndexModel.ClientRef, ClientIp: RateLimits.ClientAddress(HttpContext)), cancellationToken);
            if (started.Refusal is { } startRefusal)
            {
                FormError = startRefusal.Message;
                return Page();
            }

            State = State with { VerificationId = started.Verification!.Id };
            session.Save(Response, State);
            Notice = "We sent you a new code.";
        }
        else
        {
            var result = await verifications.ResendAsync(State.Owner, State.VerificationId, cancellationToken);
            if (result.Refusal is { } refusal)
            {
                FormError = refusal.Reason == Refusal.Cooldown && refusal.RetryAfter is { } wait
                    ? $"You can ask for a new code in {ApiProblems.RetryAfterSeconds(wait)} seconds."
                    : refusal.Message;
            }
            else
            {
                Notice = "We sent the code again.";
            }
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostChangeNumberAsync(CancellationToken cancellationToken)
    {
        if (session.Read(Request) is { } state)
        {
            await verifications.CancelAsync(state.Owner, state.VerificationId, cancellationToken);
            TempData["Name"] = state.Name;
            TempData["Phone"] = "+" + state.Phone;
        }

        session.Clear(Response);
        return RedirectToPage("/Index");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        State = State ?? session.Read(Request)!;
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

        Status = SignUpStatus.From(snapshot, options.Value.MaxAttempts, time.GetUtcNow());
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
            return RedirectToPage("/Index");
        }

        var (account, created) = result;
        session.SaveWelcome(Response, new WelcomeState(account.Name, account.Phone, created, account.VerifiedAt));
        return RedirectToPage("/Welcome");
    }
}
