using System.Text.RegularExpressions;

namespace OtpGate.Server.Logging;

/// <summary>
/// The webhook URL carries a secret in its path (<c>/webhooks/1msg/{secret}</c>), and ASP.NET Core's request logs,
/// the HttpClient factory's logs and the sandbox's callback logs all write URLs. Every log message, structured value and
/// scope goes through <see cref="Redact"/>, which keeps the route and drops the secret.
/// </summary>
internal static partial class LogRedaction
{
    public const string Marker = "/webhooks/1msg/";

    public static bool NeedsRedaction(string? text) => text is not null && text.Contains(Marker, StringComparison.OrdinalIgnoreCase);

    public static string Redact(string text) => NeedsRedaction(text) ? SecretSegment().Replace(text, "$1***") : text;

    public static object? RedactValue(object? value) => value switch
    {
        string s => Redact(s),
        null => null,
        Uri or Microsoft.AspNetCore.Http.PathString => Redact(value.ToString()!),
        _ => value,
    };

    [GeneratedRegex("(/webhooks/1msg/)[^/?#\\s\"'<>]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretSegment();
}
