using System.Security.Cryptography;
using System.Text;

namespace OtpGate.Sandbox.Messages;

/// <summary>
/// Message ids shaped like Meta's: <c>wamid.</c> + base64 of a small protobuf-like record carrying the
/// recipient and 9 random bytes in hex. Like real ids they may end in <c>=</c>; they never contain
/// <c>+</c> or <c>/</c> (the payload bytes are ASCII digits and hex letters).
/// </summary>
internal static class MessageIds
{
    public static string New(string phone)
    {
        var random = Convert.ToHexString(RandomNumberGenerator.GetBytes(9));
        var bytes = new List<byte> { 0x1C, 0x18, (byte)phone.Length };
        bytes.AddRange(Encoding.ASCII.GetBytes(phone));
        bytes.AddRange([0x15, 0x02, 0x00, 0x11, 0x18, (byte)random.Length]);
        bytes.AddRange(Encoding.ASCII.GetBytes(random));
        bytes.Add(0x00);
        return "wamid." + Convert.ToBase64String([.. bytes]);
    }
}
