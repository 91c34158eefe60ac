using System.Globalization;

namespace OtpGate.Verification.Channels;

/// <summary>
/// The text a code goes out in on a text channel: the code, who sends it, and how long it lasts, so a user who did not
/// ask for it knows what it is and that it will not stay valid. A service may write its own per locale
/// (<c>Sms:Texts:&lt;locale&gt;</c>) and name the site the code is for (<c>Sms:WebOtpDomain</c>).
/// </summary>
public static class CodeText
{
    public const string CodePlaceholder = "{code}";
    public const string ServicePlaceholder = "{service}";
    public const string MinutesPlaceholder = "{minutes}";

    /// <summary>
    /// The default English text: <c>123456 is your Acme verification code. It expires in 10 minutes.</c>; without a
    /// service name, <c>123456 is your verification code. …</c>.
    /// </summary>
    public static string Render(string code, string? serviceName, TimeSpan expiresIn)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var minutes = Minutes(expiresIn);
        var unit = minutes == 1 ? "minute" : "minutes";
        var whose = string.IsNullOrWhiteSpace(serviceName) ? "your" : $"your {serviceName.Trim()}";
        return $"{code} is {whose} verification code. It expires in {minutes} {unit}.";
    }

    /// <summary>
    /// The service's own text for the locale (<paramref name="texts"/>: locale → text, the exact locale then its
    /// language), or the default English one; then, with <paramref name="webOtpDomain"/>, the last line
    /// <c>@example.com #123456</c>, the origin-bound form browsers (WebOTP) and Android read to offer the code.
    /// </summary>
    public static string Render(string code, string? serviceName, TimeSpan expiresIn, IReadOnlyDictionary<string, string> texts, string? locale, string? webOtpDomain)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var text = NamedTemplate.For(texts, locale) is { } own
            ? own.Name.Replace(CodePlaceholder, code, StringComparison.Ordinal)
                .Replace(ServicePlaceholder, serviceName?.Trim() ?? "", StringComparison.Ordinal)
                .Replace(MinutesPlaceholder, Minutes(expiresIn).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            : Render(code, serviceName, expiresIn);
        return string.IsNullOrWhiteSpace(webOtpDomain) ? text : $"{text}\n\n@{webOtpDomain.Trim()} #{code}";
    }

    /// <summary>Whether <paramref name="value"/> is a bare host name (<c>example.com</c>, <c>login.example.co.uk</c>), as WebOTP's line needs.</summary>
    public static bool IsHostName(string value) =>
        value.Length is > 0 and <= 253 && Uri.CheckHostName(value) == UriHostNameType.Dns && !value.Contains('/', StringComparison.Ordinal);

    private static int Minutes(TimeSpan expiresIn) => Math.Max(1, (int)Math.Ceiling(expiresIn.TotalMinutes));
}
