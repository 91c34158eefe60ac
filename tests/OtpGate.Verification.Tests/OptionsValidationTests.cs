namespace OtpGate.Verification.Tests;

public sealed class OptionsValidationTests
{
    private static List<string> Validate(Action<VerificationOptions> change)
    {
        var options = new VerificationOptions();
        change(options);
        return new VerificationOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Validate(_ => { }));

    [Theory]
    [InlineData(80, null, 32)]
    [InlineData(400, null, 100)]
    [InlineData(1000, null, 250)]
    [InlineData(1000, 16, 16)]
    public void Sends_in_flight_follow_the_channel_rate_unless_set(int rate, int? configured, int expected)
    {
        var dispatch = new VerificationOptions().Dispatch;
        dispatch.ChannelRatePerSecond = rate;
        dispatch.MaxConcurrency = configured;

        Assert.Equal(expected, dispatch.EffectiveMaxConcurrency);
    }

    [Theory]
    [InlineData("CodeLength", "Verification:CodeLength is 3")]
    [InlineData("CodeLifetime", "Verification:CodeLifetime is 00:45:00")]
    [InlineData("MaxFailedChecksPerPhone", "NIST SP 800-63B allows at most 100")]
    [InlineData("MaxMessageTtl", "must not exceed Verification:CodeLifetime")]
    [InlineData("SameCodeMinRemaining", "must be shorter than Verification:CodeLifetime")]
    [InlineData("AllowedCountries", "two-letter ISO 3166-1 region codes")]
    [InlineData("TestNumbers", "test codes must look like real ones")]
    [InlineData("ChannelRatePerSecond", "at most 1,000")]
    [InlineData("UnknownReceiptRetention", "Verification:UnknownReceiptRetention is 60.00:00:00; it must be between 00:01:00 and Verification:Retention")]
    [InlineData("MaxUnknownReceipts", "Verification:MaxUnknownReceipts is 0; it must be between 10 and 1,000,000")]
    public void Each_bad_value_is_named_in_a_full_sentence(string key, string expected)
    {
        var failures = Validate(o =>
        {
            switch (key)
            {
                case "CodeLength": o.CodeLength = 3; break;
                case "CodeLifetime": o.CodeLifetime = TimeSpan.FromMinutes(45); break;
                case "MaxFailedChecksPerPhone": o.MaxFailedChecksPerPhone = 500; break;
                case "MaxMessageTtl": o.MaxMessageTtl = TimeSpan.FromMinutes(12); break;
                case "SameCodeMinRemaining": o.SameCodeMinRemaining = TimeSpan.FromMinutes(10); break;
                case "AllowedCountries": o.AllowedCountries = ["USA"]; break;
                case "TestNumbers": o.TestNumbers = new() { ["+1 212 555 0199"] = "12" }; break;
                case "ChannelRatePerSecond": o.Dispatch.ChannelRatePerSecond = 5000; break;
                case "UnknownReceiptRetention": o.UnknownReceiptRetention = TimeSpan.FromDays(60); break;
                case "MaxUnknownReceipts": o.MaxUnknownReceipts = 0; break;
            }
        });

        var failure = Assert.Single(failures);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
        Assert.EndsWith(".", failure.TrimEnd(')'), StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_number_code_is_never_repeated_in_the_error()
    {
        var failures = Validate(o => o.TestNumbers = new() { ["+1 212 555 0199"] = "98765" });

        Assert.DoesNotContain(failures, f => f.Contains("98765", StringComparison.Ordinal));
    }
}
