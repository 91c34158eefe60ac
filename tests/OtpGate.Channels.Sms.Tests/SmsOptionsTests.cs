using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OtpGate.Channels.Sms.Tests;

/// <summary>The <c>Sms</c> section: registered only when configured, and each mistake one sentence naming its key.</summary>
public sealed class SmsOptionsTests
{
    private const string Sid = "AC0123456789abcdef0123456789abcdef";

    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Sms:Twilio:AccountSid"] = Sid,
            ["Sms:Twilio:AuthToken"] = "a-token",
            ["Sms:Twilio:From"] = "+15017122661",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSmsOptions(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        using var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<SmsOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
    }

    [Fact]
    public void A_complete_Twilio_section_is_valid() => Assert.Empty(Problems());

    [Theory]
    [InlineData("Sms:Twilio:AccountSid", "SK0123", "Sms:Twilio:AccountSid")]
    [InlineData("Sms:Twilio:AuthToken", "", "Sms:Twilio:AuthToken")]
    [InlineData("Sms:Twilio:From", "15017122661", "Sms:Twilio:From")]
    [InlineData("Sms:Twilio:MessagingServiceSid", "MG1", "Sms:Twilio:MessagingServiceSid")]
    [InlineData("Sms:Twilio:BaseUrl", "ftp://api.twilio.com", "Sms:Twilio:BaseUrl")]
    [InlineData("Sms:Twilio:ApiKeySid", "SK0123456789abcdef0123456789abcdef", "Sms:Twilio:ApiKeySecret")]
    [InlineData("Sms:Provider", "vonage", "Sms:Provider")]
    [InlineData("Sms:StatusCallbackBaseUrl", "otp.example.com", "Sms:StatusCallbackBaseUrl")]
    [InlineData("Sms:Twilio:MaxRetries", "11", "Sms:Twilio:MaxRetries")]
    public void Each_mistake_is_a_sentence_naming_the_key_to_fix(string key, string value, string named)
    {
        var problem = Assert.Single(Problems((key, value)));

        Assert.Contains(named, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void No_sender_at_all_names_both_keys()
    {
        var problem = Assert.Single(Problems(("Sms:Twilio:From", "")));

        Assert.Contains("Sms:Twilio:From", problem, StringComparison.Ordinal);
        Assert.Contains("Sms:Twilio:MessagingServiceSid", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_is_never_repeated()
    {
        var problems = Problems(("Sms:Twilio:AuthToken", "has a space"), ("Sms:Twilio:ApiKeySecret", "s3cr3t-value"));

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.DoesNotContain("has a space", p, StringComparison.Ordinal));
        Assert.All(problems, p => Assert.DoesNotContain("s3cr3t-value", p, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_an_Sms_section_no_channel_is_registered()
    {
        var services = new ServiceCollection();

        Assert.Null(services.AddSmsChannel(new ConfigurationBuilder().Build()));
        Assert.DoesNotContain(services, d => d.ServiceType == typeof(OtpGate.Verification.Channels.ICodeChannel));
    }
}
