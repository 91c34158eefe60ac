using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Sandbox.Sms;

/// <summary>
/// Twilio's <c>X-Twilio-Signature</c>, as its request-validation documentation defines it: the full URL, then each
/// form parameter's name and value with the names in byte order, HMAC-SHA1 keyed with the auth token, in base64.
/// </summary>
internal static class TwilioCallbackSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

#pragma warning disable CA5350 // Twilio's algorithm is HMAC-SHA1: the receiver checks exactly this.
        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }
}
