using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Fraud;

/// <summary>
/// The fraud guard's settings (section <c>Fraud</c>; docs/architecture.md, "Fraud guard"): how conversion is judged per
/// number prefix, how long a block lasts, and the start rates that pass. The defaults stop a pumping run within a few
/// dozen messages per prefix and leave real sign-ups alone; the README says when to change them.
/// </summary>
public sealed class FraudOptions
{
    public const string SectionName = "Fraud";

    /// <summary>Off, nothing is counted or refused (the operator's block list still applies).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The sliding window conversion and the normal start rate are measured over (5 minutes to 24 hours).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after its minute a start without approval counts as not converted: the time a real user takes to type the code.</summary>
    public TimeSpan SettleAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Judged starts a prefix needs before its conversion is judged at all.</summary>
    public int MinSends { get; set; } = 12;

    /// <summary>
    /// The absolute floor: a prefix is blocked only when its conversion is surely (the top of a 99 % confidence interval)
    /// under this, and under <see cref="BaselineShare"/> of its country's.
    /// </summary>
    public double ConversionFloor { get; set; } = 0.3;

    /// <summary>How far under its country's conversion a prefix must fall (a share of it) to be blocked.</summary>
    public double BaselineShare { get; set; } = 0.5;

    /// <summary>How long a prefix the guard blocked stays blocked.</summary>
    public TimeSpan CoolingPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Starts per minute a number's longest prefix always may take, whatever its history.</summary>
    public int PrefixStartsPerMinute { get; set; } = 10;

    /// <summary>How many times its share of its country's approvals (over the window) a prefix may take of the country's starts in a minute.</summary>
    public double PrefixBurstFactor { get; set; } = 5;

    /// <summary>Starts per minute a country always may take, whatever its history.</summary>
    public int CountryStartsPerMinute { get; set; } = 60;

    /// <summary>How many times its approvals per minute (over the window) a country may take in starts in a minute.</summary>
    public double CountryBurstFactor { get; set; } = 10;
}

/// <summary>Checks <see cref="FraudOptions"/> at start-up, each problem in a sentence naming its key.</summary>
public sealed class FraudOptionsValidator : IValidateOptions<FraudOptions>
{
    public ValidateOptionsResult Validate(string? name, FraudOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Require(o.Window >= TimeSpan.FromMinutes(5) && o.Window <= TimeSpan.FromHours(24), $"Fraud:Window is {o.Window}; it must be between 00:05:00 and 1.00:00:00 (01:00:00 is the default).");
        Require(o.SettleAfter >= TimeSpan.Zero && o.SettleAfter <= TimeSpan.FromMinutes(30) && o.SettleAfter < o.Window,
            $"Fraud:SettleAfter is {o.SettleAfter}; it must be between 0 and 00:30:00, and shorter than Fraud:Window.");
        Require(o.MinSends is >= 5 and <= 100_000, $"Fraud:MinSends is {o.MinSends}; it must be between 5 and 100000 (12 is the default).");
        Require(o.ConversionFloor is > 0 and < 1, $"Fraud:ConversionFloor is {o.ConversionFloor}; it must be a share between 0 and 1 (0.3 is the default).");
        Require(o.BaselineShare is > 0 and <= 1, $"Fraud:BaselineShare is {o.BaselineShare}; it must be a share above 0 and at most 1 (0.5 is the default).");
        Require(o.CoolingPeriod >= TimeSpan.FromMinutes(1) && o.CoolingPeriod <= TimeSpan.FromDays(7), $"Fraud:CoolingPeriod is {o.CoolingPeriod}; it must be between 00:01:00 and 7.00:00:00.");
        Require(o.PrefixStartsPerMinute >= 1, $"Fraud:PrefixStartsPerMinute is {o.PrefixStartsPerMinute}; it must be at least 1 (10 is the default).");
        Require(o.CountryStartsPerMinute >= 1, $"Fraud:CountryStartsPerMinute is {o.CountryStartsPerMinute}; it must be at least 1 (60 is the default).");
        Require(o.PrefixBurstFactor >= 1 && o.CountryBurstFactor >= 1, "Fraud:PrefixBurstFactor and Fraud:CountryBurstFactor must be at least 1 (5 and 10 are the defaults).");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
