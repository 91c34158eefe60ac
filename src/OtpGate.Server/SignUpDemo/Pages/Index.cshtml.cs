using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OtpGate.Server.Api;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo.Pages;

/// <summary>Step 1: name and phone number; starts a verification and moves on to the code page.</summary>
public sealed class IndexModel(VerificationService verifications, SignUpSession session) : PageModel
{
    public const string ClientRef = "signup";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Phone { get; set; }

    public string? NameError { get; private set; }

    public string? PhoneError { get; private set; }

    public string? FormError { get; private set; }

    public void OnGet()
    {
        // Back from "change number": the name (and the old number, to edit) come back.
        Name ??= TempData["Name"] as string;
        Phone ??= TempData["Phone"] as string;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
        {
            NameError = "Enter your name (up to 100 characters).";
        }

        var parsed = PhoneNumberParser.Parse(Phone);
        if (!parsed.IsValid)
        {
            PhoneError = parsed.Message;
        }

        if (NameError is not null || !parsed.IsValid)
        {
            return Page();
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
                return Page();
            case { } refusal:
                FormError = refusal.Message;
                return Page();
        }

        session.Save(Response, new SignUpState(sessionId, result.Verification!.Id, name, parsed.Number.Digits));
        return RedirectToPage("/Verify");
    }
}
