using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// Post/redirect/get: every form post answers 303 See Other to a page, so that Back and reload fetch that page again
/// instead of posting the form again ("Confirm Form Resubmission"). What the post has to say travels in TempData.
/// </summary>
internal static class SeeOther
{
    public static IActionResult Page(PageModel model, string pageName)
    {
        model.Response.Headers.Location = model.Url.Page(pageName);
        return new StatusCodeResult(StatusCodes.Status303SeeOther);
    }
}
