using System.Diagnostics.Metrics;
using OtpGate.Verification.Telemetry;

namespace OtpGate.Verification.Events;

/// <summary>The event deliveries' metrics, on the engine's meter (so the server exports them with the rest).</summary>
public sealed class EventMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _disabled;

    public EventMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(VerificationMetrics.MeterName);
        _attempts = meter.CreateCounter<long>("otpgate.events.attempts", "{attempt}",
            "Event delivery attempts, by outcome: delivered (2xx), retry (will be tried again), failed (retries spent), gone (410).");
        _disabled = meter.CreateCounter<long>("otpgate.events.endpoints_disabled", "{endpoint}",
            "Event endpoints disabled, by reason: gone (answered 410) or failing (no success for Events:DisableAfter).");
    }

    public void Attempt(string endpoint, string outcome) =>
        _attempts.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));

    public void Disabled(string endpoint, string reason) =>
        _disabled.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("reason", reason));
}
