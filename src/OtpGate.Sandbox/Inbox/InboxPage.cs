using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Inbox;

/// <summary>
/// <c>GET {base}/inbox</c>: a self-contained, WhatsApp-looking phone inbox (inline CSS and JS). It
/// polls <c>_sandbox/messages</c> every second. Not protected by the token: it is a local developer tool, answering
/// this machine only unless <c>Sandbox:AllowRemoteAccess</c> (see <see cref="Access.LocalOnlyFilter"/>).
/// </summary>
internal static class InboxPage
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(InboxPage).Assembly.GetManifestResourceStream("OtpGate.Sandbox.Inbox.inbox.html")
            ?? throw new InvalidOperationException("The inbox page resource is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static IResult Serve(HttpContext context, IOptions<SandboxOptions> options)
    {
        // The page's own path minus "/inbox" is where the API lives, whatever the mount point.
        var path = (context.Request.PathBase + context.Request.Path).ToString().TrimEnd('/');
        var basePath = path.EndsWith("/inbox", StringComparison.Ordinal) ? path[..^"/inbox".Length] : "";
        var value = options.Value;
        var html = Template.Value
            .Replace("__BASE_PATH__", JavaScriptEncoder.Default.Encode(basePath), StringComparison.Ordinal)
            .Replace("__CHANNEL_ID__", JavaScriptEncoder.Default.Encode(value.ChannelId), StringComparison.Ordinal)
            // The example command shows the token only when it is the well-known default.
            .Replace("__TOKEN__", value.Token == SandboxOptions.DefaultToken ? SandboxOptions.DefaultToken : "YOUR_TOKEN", StringComparison.Ordinal);
        context.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
