using OtpGate.OneMsg.Templates;

namespace OtpGate.OneMsg.Tests.Support;

public static class Samples
{
    public const string Phone = "5511999998888";

    /// <summary><see cref="Phone"/> as the library masks it in its logs.</summary>
    public const string MaskedPhone = "55*********88";

    public static readonly TemplateReference Template = new("otp_code", "ca300906_cfbc_410b_99fb_dcee8e13d578", "en");

    public const string Code = "482913";

    /// <summary>A real-shaped id: base64 of a record that starts with the number (<c>HBgMNTUxMTk5...</c> is "5511999...").</summary>
    public const string MessageId = "wamid.HBgMNTUxMTk5OTk5ODg4OBUCABEYEjhCRkQ2RUIzNkVGMjMxOTZCQwA=";

    public const string Accepted = $$"""
        {"sent":true,"message":"Sent to 5511999998888@c.us","description":"Message has been sent to the provider","id":"{{MessageId}}"}
        """;
}
