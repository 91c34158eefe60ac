using OtpGate.Verification.Fraud;

namespace OtpGate.Verification.Tests.Fraud;

/// <summary>The guard's arithmetic and settings, without storage: prefixes, the confidence bound, the thresholds, the options' sentences.</summary>
public sealed class FraudJudgementTests
{
    [Theory]
    [InlineData("12125550100", new[] { "1", "12", "121", "1212", "12125" })]
    [InlineData("447911123456", new[] { "44", "447", "4479", "44791", "447911" })]
    [InlineData("998912345678", new[] { "998", "9989", "99891", "998912", "9989123" })]
    public void A_number_counts_under_its_calling_code_and_up_to_four_more_digits(string digits, string[] prefixes) =>
        Assert.Equal(prefixes, PhonePrefixes.Of(digits));

    [Theory]
    [InlineData(0, 15, false)] // 6.6 / 21.6 = 0.31: not yet surely under 30 %
    [InlineData(0, 16, true)]
    [InlineData(4, 20, false)] // 20 % seen, but 20 starts cannot show it is under 30 %
    [InlineData(16, 20, false)]
    [InlineData(10, 100, true)]
    public void A_prefix_fails_only_when_the_top_of_its_99_percent_interval_is_under_the_floor(long approvals, long judged, bool fails)
    {
        var prefixes = new[] { new PrefixCounts("1", 0, judged, approvals), new PrefixCounts("12125", 0, judged, approvals) };

        Assert.Equal(fails, FraudJudgement.FindFailing(new FraudOptions(), prefixes) is not null);
    }

    [Fact]
    public void In_a_country_that_converts_little_the_threshold_is_half_its_conversion()
    {
        // The rest of the country converts 40 %: a prefix is judged against 20 %, not 30 %.
        var country = new PrefixCounts("44", 0, 1000 + 60, 400 + 9);
        var prefix = new PrefixCounts("447911", 0, 60, 9);

        var failing = FraudJudgement.FindFailing(new FraudOptions(), [country, prefix]);

        Assert.Null(failing); // 15 % seen in 60: the top of its interval is above 20 %
        Assert.NotNull(FraudJudgement.FindFailing(new FraudOptions(), [country with { Judged = 1100, Approvals = 401 }, prefix with { Judged = 100, Approvals = 1 }]));
    }

    [Fact]
    public void The_defaults_are_valid_and_a_bad_setting_is_named_in_a_sentence()
    {
        var validator = new FraudOptionsValidator();

        Assert.True(validator.Validate(null, new FraudOptions()).Succeeded);
        var failures = validator.Validate(null, new FraudOptions { Window = TimeSpan.FromMinutes(1), ConversionFloor = 1.5 }).Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("Fraud:Window is 00:01:00; it must be between 00:05:00", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Fraud:ConversionFloor is 1.5", StringComparison.Ordinal));
    }
}
