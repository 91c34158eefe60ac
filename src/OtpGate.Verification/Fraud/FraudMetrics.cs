using System.Diagnostics.Metrics;
using OtpGate.Verification.Telemetry;

namespace OtpGate.Verification.Fraud;

/// <summary>The fraud guard's metrics, on the engine's meter (<see cref="VerificationMetrics.MeterName"/>).</summary>
public sealed class FraudMetrics
{
    private readonly Counter<long> _blocked;
    private readonly Counter<long> _prefixBlocks;

    public FraudMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(VerificationMetrics.MeterName);
        _blocked = meter.CreateCounter<long>("otpgate.fraud.blocked", "{start}", "Starts the fraud guard refused, by country and rule (conversion, velocity, operator).");
        _prefixBlocks = meter.CreateCounter<long>("otpgate.fraud.prefix_blocks", "{block}", "Prefixes the fraud guard blocked for low conversion, by country.");
    }

    // Regions are ISO codes and rules three words, so the labels' values stay few.
    public void Blocked(string country, string rule) =>
        _blocked.Add(1, new KeyValuePair<string, object?>("country", country), new KeyValuePair<string, object?>("rule", rule));

    public void PrefixBlocked(string country) => _prefixBlocks.Add(1, new KeyValuePair<string, object?>("country", country));
}
