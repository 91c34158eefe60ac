using Twilio.Security;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>
/// The signature check against the example Twilio's own libraries test request validation with (auth token 12345, a
/// voice request to mycompany.com), and against Twilio's C# <see cref="RequestValidator"/> as the independent judge.
/// </summary>
public sealed class TwilioRequestSignatureTests
{
    private const string Token = "12345";
    private const string Url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private const string Expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["CallSid"] = "CA1234567890ABCDE",
        ["Caller"] = "+14158675309",
        ["Digits"] = "1234",
        ["From"] = "+14158675309",
        ["To"] = "+18005551212",
    };

    [Fact]
    public void The_published_example_is_the_one_Twilio_validates()
    {
        Assert.True(new RequestValidator(Token).Validate(Url, Fields, Expected));
    }

    [Fact]
    public void Compute_gives_the_published_signature()
    {
        Assert.Equal(Expected, TwilioRequestSignature.Compute(Token, Url, Fields));
    }

    [Fact]
    public void IsValid_accepts_the_published_signature_whatever_order_the_fields_come_in()
    {
        Assert.True(TwilioRequestSignature.IsValid(Token, Url, Fields.Reverse(), Expected));
    }

    [Theory]
    [InlineData("Digits", "1235")]
    [InlineData("To", "+18005551213")]
    public void IsValid_refuses_a_changed_field(string name, string value)
    {
        var changed = new Dictionary<string, string>(Fields) { [name] = value };
        Assert.False(TwilioRequestSignature.IsValid(Token, Url, changed, Expected));
    }

    [Fact]
    public void IsValid_refuses_another_token_url_or_a_missing_signature()
    {
        Assert.False(TwilioRequestSignature.IsValid("54321", Url, Fields, Expected));
        Assert.False(TwilioRequestSignature.IsValid(Token, "https://mycompany.com/myapp.php?foo=1&bar=3", Fields, Expected));
        Assert.False(TwilioRequestSignature.IsValid(Token, Url, Fields, null));
        Assert.False(TwilioRequestSignature.IsValid(Token, Url, Fields, ""));
        Assert.False(TwilioRequestSignature.IsValid(Token, "not a url", Fields, Expected));
    }

    [Fact]
    public void IsValid_accepts_the_url_with_the_default_port_a_proxy_added()
    {
        Assert.True(TwilioRequestSignature.IsValid(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Fields, Expected));
    }

    [Fact]
    public void IsValid_accepts_a_signature_made_with_the_port_when_the_receiver_sees_none()
    {
        var signedWithPort = TwilioRequestSignature.Compute(Token, "https://mycompany.com:443/myapp.php?foo=1&bar=2", Fields);
        Assert.True(TwilioRequestSignature.IsValid(Token, Url, Fields, signedWithPort));
    }

    [Fact]
    public void A_status_callback_signed_here_is_valid_for_Twilio_s_validator()
    {
        const string callbackUrl = "https://otp.example.com:8443/v1/sms/twilio/status?tag=é";
        var fields = new Dictionary<string, string>
        {
            ["MessageSid"] = "SM0123456789abcdef0123456789abcdef",
            ["MessageStatus"] = "undelivered",
            ["ErrorCode"] = "30003",
            ["To"] = "+12125550121",
            ["Body"] = "Votre code : 123456 — OtpGate",
        };

        var signature = TwilioRequestSignature.Compute("a-real-looking-token", callbackUrl, fields);

        Assert.True(new RequestValidator("a-real-looking-token").Validate(callbackUrl, fields, signature));
        Assert.True(TwilioRequestSignature.IsValid("a-real-looking-token", callbackUrl, fields, signature));
    }
}
