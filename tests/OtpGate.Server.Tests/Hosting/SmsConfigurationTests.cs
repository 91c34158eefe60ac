using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OtpGate.Channels.Sms;
using OtpGate.Server.Hosting;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>The <c>Sms</c> section at start-up: a mistake stops the server with a sentence naming the key; the banner says whether SMS is on.</summary>
public sealed class SmsConfigurationTests
{
    [Fact]
    public async Task A_half_configured_Twilio_stops_the_start_naming_each_key_to_set()
    {
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "sms-" + Guid.NewGuid().ToString("N")),
            ["Logging:LogLevel:Microsoft.Extensions.Hosting.Internal.Host"] = "Error",
            ["Sms:Twilio:AccountSid"] = "AC0123456789abcdef0123456789abcdef",
            ["Sms:Twilio:AuthToken"] = "",
        };
        var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(logs));
        });

        Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        try
        {
            await factory.DisposeAsync();
        }
        catch (Exception)
        {
            // A host that never started cannot stop cleanly either; the start error is what is under test.
        }

        var problems = string.Join("\n", logs.Entries.Where(e => e.Text.Contains("OptionsValidationException", StringComparison.Ordinal)).Select(e => e.Text));
        Assert.Contains("Sms:Twilio:AuthToken is empty", problems, StringComparison.Ordinal);
        Assert.Contains("Neither Sms:Twilio:From nor Sms:Twilio:MessagingServiceSid is set", problems, StringComparison.Ordinal);
    }

    [Fact]
    public void The_banner_says_whether_SMS_is_on_and_from_where()
    {
        var twilio = new SmsOptions { Twilio = { AccountSid = "AC0123456789abcdef0123456789abcdef", AuthToken = "secret-token", From = "+15017122661" } };

        var off = SmsSetup.BannerLine(SmsMode.Off, new SmsOptions(), null);
        var on = SmsSetup.BannerLine(new SmsMode(true, false), twilio, "https://otp.example.com/webhooks/sms/twilio");

        Assert.Contains("SMS:          off (set Sms:Twilio:AccountSid, AuthToken and From", off, StringComparison.Ordinal);
        Assert.Equal("  SMS:          on, Twilio account AC0123456789abcdef0123456789abcdef from +15017122661; status callbacks to https://otp.example.com/webhooks/sms/twilio", on);
        Assert.DoesNotContain("secret-token", on, StringComparison.Ordinal);
    }
}
