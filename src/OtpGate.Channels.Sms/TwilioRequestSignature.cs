using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Channels.Sms;

/// <summary>
/// Checks the <c>X-Twilio-Signature</c> of a request Twilio sent (a status callback), by the algorithm of Twilio's
/// request-validation documentation: the full URL Twilio requested (scheme, host, port if any, path and query), then
/// every form parameter's name and value, names in byte order, HMAC-SHA1 keyed with the auth token, base64.
/// </summary>
/// <remarks>
/// As Twilio's own libraries do, a URL is also tried with its port taken out, or with the scheme's default port put
/// in: a proxy in front of the receiver may add or drop it from what Twilio signed.
/// </remarks>
public static class TwilioRequestSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>The signature Twilio puts on a form-encoded request to <paramref name="url"/>.</summary>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(form);
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio signs with HMAC-SHA1: checking it needs the same.
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>Whether <paramref name="signature"/> is Twilio's for this URL and form; compared in fixed time.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        var fields = form.ToList();
        var expected = Encoding.ASCII.GetBytes(signature);
        return UrlForms(url, uri).Any(candidate =>
            CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(authToken, candidate, fields)), expected));
    }

    /// <summary>The URL as given, then without its port, then with the scheme's default port.</summary>
    private static IEnumerable<string> UrlForms(string url, Uri uri)
    {
        yield return url;
        const UriComponents SchemeAndHost = UriComponents.Scheme | UriComponents.UserInfo | UriComponents.Host;
        var withoutPort = uri.GetComponents(SchemeAndHost | UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        var withPort = uri.GetComponents(SchemeAndHost | UriComponents.StrongPort | UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped);
        foreach (var form in new[] { withoutPort, withPort }.Distinct(StringComparer.Ordinal))
        {
            if (form != url)
            {
                yield return form;
            }
        }
    }
}
