using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// Twilio-shaped sids for what OtpGate already names. A verification id is "vf_" and 128 random bits in base64url; its
/// sid is "VE" and the same 128 bits in hex, so the two map onto each other with nothing stored. An attempt's sid
/// (<c>VL…</c>) is derived from its verification and its send number, so it is the same at every read.
/// </summary>
internal static partial class TwilioSids
{
    /// <summary>The sid of a verification id; ids of another shape (none are issued) get a stable digest instead.</summary>
    public static string Verification(string id)
    {
        if (id.StartsWith("vf_", StringComparison.Ordinal) && id.Length == 25 && TryDecode(id[3..], out var bits))
        {
            return "VE" + Convert.ToHexStringLower(bits);
        }

        return "VE" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
    }

    /// <summary>The verification id of a sid; null for anything not shaped as a verification sid.</summary>
    public static string? VerificationId(string? sid)
    {
        if (sid is null || !VerificationPattern().IsMatch(sid))
        {
            return null;
        }

        var bits = Convert.FromHexString(sid[2..]);
        return "vf_" + Convert.ToBase64String(bits).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The sid of one send of a verification (Twilio's attempt sid).</summary>
    public static string Attempt(string verificationId, int sequence) =>
        "VL" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{verificationId}/{sequence}")))[..32];

    public static bool IsService(string? sid) => sid is not null && ServicePattern().IsMatch(sid);

    private static bool TryDecode(string base64Url, out byte[] bits)
    {
        var padded = base64Url.Replace('-', '+').Replace('_', '/') + "==";
        var buffer = new byte[18];
        var ok = Convert.TryFromBase64String(padded, buffer, out var written) && written == 16;
        bits = buffer[..16];
        return ok;
    }

    // Twilio's pattern accepts either case; OtpGate issues lower case, and hex reads the same either way.
    [GeneratedRegex("^VE[0-9a-fA-F]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex VerificationPattern();

    [GeneratedRegex("^VA[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex ServicePattern();
}
