using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OtpGate.Server.Api;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo.Pages;

/// <summary>
/// Step 1: name and phone number; starts a verification and moves on to the code page. A post answers 303 (to the code
/// page, or back here with what to fix), so Back and reload never post the form again.
/// </summary>
public sealed class IndexModel(VerificationService verifications, SignUpSession session, IOptions<SignUpOptions> options, TimeProvider time) : PageModel
{
    public const string ClientRef = "signup";

    /// <summary>TempData key: the page opens with the focus on the number (back from "change number").</summary>
    public const string FocusPhoneKey = "Index.FocusPhone";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    [TempData(Key = "Index.NameError")]
    public string? NameError { get; set; }

    [TempData(Key = "Index.PhoneError")]
    public string? PhoneError { get; set; }

    [TempData(Key = "Index.FormError")]
    public string? FormError { get; set; }

    public string? DefaultRegion => options.Value.DefaultRegion?.ToUpperInvariant();

    /// <summary>The field that takes the focus: the first in error, else the number after "change number", else the name.</summary>
    public string FocusField { get; private set; } = "name";

    public void OnGet()
    {
        // Back from "change number" or from a refused post: the name and the number typed come back, to edit, and stay
        // through a reload (peeked, not read) until a sign-up goes through. The errors are said once.
        Name ??= TempData.Peek("Name") as string;
        Phone ??= TempData.Peek("Phone") as string;
        FocusField = NameError is not null ? "name" : PhoneError is not null || TempData[FocusPhoneKey] is true ? "phone" : "name";
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            NameError = "Enter your name (up to 100 characters).";
        }

        var parsed = SignUpPhone.Parse(Phone, options.Value.DefaultRegion);
        if (!parsed.IsValid)
        {
            PhoneError = parsed.Message;
        }

        if (NameError is not null || !parsed.IsValid)
        {
            return Refused();
        }

        // The same answer whether or not the number already has an account: that is learnt only after the code. The
        // verification belongs to this browser's session: someone else signing up with the same number gets their own.
        var sessionId = session.Read(Request)?.SessionId ?? SignUpSession.NewSessionId();
        var result = await verifications.StartAsync(SignUpSession.OwnerOf(sessionId),
            new StartRequest(parsed.Number.Digits, ClientRef: ClientRef, ClientIp: RateLimits.ClientAddress(HttpContext), ParsedPhone: parsed.Number),
            cancellationToken);
        switch (result.Refusal)
        {
            case { Reason: Refusal.InvalidPhone or Refusal.CountryNotAllowed } refusal:
                PhoneError = refusal.Message;
                return Refused();
            case { } refusal:
                FormError = VisitorSentence.Of(refusal);
                return Refused();
        }

        if (!result.Created)
        {
            // This session's code for the number is still pending: the engine sent the same code again only if its
            // cooldown allowed. Say so, rather than let a second message (or none) surprise the visitor.
            TempData["Verify.Notice"] = AlreadySentNotice(result.Verification!);
        }

        TempData.Remove("Name");
        TempData.Remove("Phone");
        session.Save(Response, new SignUpState(sessionId, result.Verification!.Id, name, parsed.Number.Digits));
        return SeeOther.Page(this, "/Verify");
    }

    private string AlreadySentNotice(VerificationSnapshot verification)
    {
        var wait = verification.ResendAvailableAt is { } at ? (int)Math.Ceiling((at - time.GetUtcNow()).TotalSeconds) : 0;
        return wait > 0
            ? $"We already sent a code to this number; it's still valid. You can ask for a new one in {wait} s."
            : "We already sent a code to this number; it's still valid.";
    }

    /// <summary>Back to this page (303) with what was typed and what to fix.</summary>
    private IActionResult Refused()
    {
        TempData["Name"] = Name;
        TempData["Phone"] = Phone;
        return SeeOther.Page(this, "/Index");
    }
}
