using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Sandbox.Messages;

/// <summary>
/// The made-up WhatsApp identity of a sandbox phone: a business-scoped user id (<c>bsuid</c>) and a user name,
/// as production acks carry them. Both are stable per phone, so a receiver can correlate by either across restarts.
/// </summary>
internal static class SandboxUsers
{
    /// <summary>
    /// Meta's form: an ISO region, a dot, then digits (production shows <c>CO.1726691741709890</c>). The sandbox has no
    /// number parser, so only +1 numbers get a real region (<c>US</c>); others get <c>ZZ</c>, CLDR's "unknown region".
    /// </summary>
    public static string Bsuid(string phone)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes("bsuid|" + phone));
        var number = BitConverter.ToUInt64(hash, 0) % 9_000_000_000_000_000UL + 1_000_000_000_000_000UL;
        return (phone.StartsWith('1') ? "US." : "ZZ.") + number.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A user name made from the last four digits (<c>sandbox_user_0100</c>): plainly fake, still telling phones apart in a log.</summary>
    public static string UserName(string phone) => "sandbox_user_" + phone[^Math.Min(4, phone.Length)..];
}
