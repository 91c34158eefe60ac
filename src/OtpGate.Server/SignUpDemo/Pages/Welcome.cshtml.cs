using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OtpGate.Server.SignUpDemo.Pages;

/// <summary>Step 3: the account exists.</summary>
public sealed class WelcomeModel(SignUpSession session) : PageModel
{
    public WelcomeState Welcome { get; private set; } = null!;

    public IActionResult OnGet()
    {
        if (session.ReadWelcome(Request) is not { } welcome)
        {
            return RedirectToPage("/Index");
        }

        Welcome = welcome;
        return Page();
    }
}
