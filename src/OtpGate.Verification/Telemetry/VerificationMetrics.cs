using System.Diagnostics.Metrics;

namespace OtpGate.Verification.Telemetry;

/// <summary>The engine's metrics (meter <c>OtpGate.Verification</c>), exported by the server in Prometheus format.</summary>
public sealed class VerificationMetrics
{
    public const string MeterName = "OtpGate.Verification";

    private readonly Counter<long> _started;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _read;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _approved;
    private readonly Counter<long> _expired;
    private readonly Counter<long> _checks;
    private readonly Counter<long> _unknownReceiptsDropped;
    private readonly Counter<long> _fallbacks;
    private readonly Histogram<double> _timeToDeliver;
    private readonly Histogram<double> _timeToApprove;

    public VerificationMetrics(IMeterFactory meterFactory, Storage.Database database)
    {
        var meter = meterFactory.Create(MeterName);
        // Their ratio is how many writes share a commit (SQLite's group commit); on PostgreSQL they are equal.
        meter.CreateObservableCounter("otpgate.storage.commits", () => database.Statistics.Commits, "{transaction}", "Write transactions committed.");
        meter.CreateObservableCounter("otpgate.storage.writes", () => database.Statistics.Writes, "{write}", "Write operations committed (on SQLite, several may share one transaction).");
        meter.CreateObservableCounter("otpgate.storage.write_failures", () => database.Health.FailedWrites, "{write}",
            "Writes that failed because the storage could not take them (read-only or full disk, I/O error, database unreachable); API writes answer 503 meanwhile.");
        _started = meter.CreateCounter<long>("otpgate.verifications.started", "{verification}", "Verifications started.");
        _sent = meter.CreateCounter<long>("otpgate.messages.accepted", "{message}", "Messages 1MSG accepted for sending.");
        _delivered = meter.CreateCounter<long>("otpgate.messages.delivered", "{message}", "Messages delivered to the user's device.");
        _read = meter.CreateCounter<long>("otpgate.messages.read", "{message}", "Messages read.");
        _failed = meter.CreateCounter<long>("otpgate.messages.failed", "{message}", "Messages that failed, by reason.");
        _approved = meter.CreateCounter<long>("otpgate.verifications.approved", "{verification}", "Verifications approved with the right code.");
        _expired = meter.CreateCounter<long>("otpgate.verifications.expired", "{verification}", "Verifications that expired.");
        _checks = meter.CreateCounter<long>("otpgate.checks", "{check}", "Code checks, by outcome.");
        _unknownReceiptsDropped = meter.CreateCounter<long>("otpgate.receipts.unknown_dropped", "{status}",
            "Delivery statuses for message ids no send has, dropped (oldest first) because more than Verification:MaxUnknownReceipts were waiting.");
        _fallbacks = meter.CreateCounter<long>("otpgate.fallbacks", "{message}", "Codes sent by SMS instead of WhatsApp, by cause (whatsapp_undeliverable, not_delivered_in_time, user_request).");
        _timeToDeliver = meter.CreateHistogram<double>("otpgate.time_to_deliver", "s", "Time from start to the first delivered status.");
        _timeToApprove = meter.CreateHistogram<double>("otpgate.time_to_approve", "s", "Time from start to approval.");
    }

    // The service label: ids are lower-case names an operator declares, so the label's values stay few.
    private static KeyValuePair<string, object?> Service(string service) => new("service", service);

    public void Started(string service) => _started.Add(1, Service(service));

    public void Accepted(string service) => _sent.Add(1, Service(service));

    public void Delivered(string service, TimeSpan sinceStart)
    {
        _delivered.Add(1, Service(service));
        _timeToDeliver.Record(sinceStart.TotalSeconds, Service(service));
    }

    public void Read(string service) => _read.Add(1, Service(service));

    public void Failed(string service, string reason) => _failed.Add(1, new KeyValuePair<string, object?>("reason", reason), Service(service));

    public void Approved(string service, TimeSpan sinceStart)
    {
        _approved.Add(1, Service(service));
        _timeToApprove.Record(sinceStart.TotalSeconds, Service(service));
    }

    public void Expired(string service, int count) => _expired.Add(count, Service(service));

    public void Checked(string service, string outcome) => _checks.Add(1, new KeyValuePair<string, object?>("outcome", outcome), Service(service));

    public void Fallback(string service, string cause) => _fallbacks.Add(1, new KeyValuePair<string, object?>("cause", cause), Service(service));

    public void UnknownReceiptsDropped(int count) => _unknownReceiptsDropped.Add(count);
}
