using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// What callers ask of a verification: start, check, resend, cancel and read, each in its own file. Every operation is
/// one write transaction that checks who may do what (the owner, limits, cooldowns) and then makes its transition
/// through <see cref="Lifecycle"/>; a send it causes is a job in the same transaction (outbox), sent later by
/// <see cref="OutboxDispatcher"/>.
/// </summary>
public sealed partial class VerificationService
{
    private readonly Database _database;
    private readonly CodeProtector _protector;
    private readonly VerificationOptions _options;
    private readonly VerificationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<VerificationService> _logger;
    private readonly CodeChannels _channels;
    private readonly ServiceCatalog _services;
    private readonly SpendMeter _spend;
    private readonly Fraud.FraudGuard _fraud;
    private readonly ConcurrentDictionary<string, ServiceRules> _rules = new(StringComparer.Ordinal);

    public VerificationService(Database database, CodeProtector protector, IOptions<VerificationOptions> options,
        VerificationMetrics metrics, TimeProvider time, ILogger<VerificationService> logger, CodeChannels channels, ServiceCatalog services,
        SpendMeter spend, Fraud.FraudGuard fraud)
    {
        _spend = spend;
        _fraud = fraud;
        _database = database;
        _channels = channels;
        _protector = protector;
        _options = options.Value;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _services = services;
        _defaultFromOptions = new(() => new ServiceRules(
            new Service(Service.DefaultId, "", "Default", ServiceSettings.From(_options), ServiceSource.Configuration, 0, default, default), _options));
    }

    private readonly Lazy<ServiceRules> _defaultFromOptions;

    /// <summary>
    /// The rules of a service as this connection sees it (one indexed read of its version; rebuilt only when it changed),
    /// so every operation uses the settings committed last, whichever instance changed them. Null when there is no
    /// such service.
    /// </summary>
    private async Task<ServiceRules?> RulesAsync(DbConnection connection, DbTransaction? transaction, string serviceId)
    {
        if (await _services.FindAsync(connection, transaction, serviceId) is not { } service)
        {
            // Before the configuration is written (a host that runs the engine without the seeder), the default
            // service is what the options say.
            return serviceId == Service.DefaultId ? _defaultFromOptions.Value : null;
        }

        if (_rules.TryGetValue(serviceId, out var rules) && rules.Service.Version == service.Version)
        {
            return rules;
        }

        return _rules[serviceId] = new ServiceRules(service, _options);
    }

    private Task<ServiceRules?> RulesAsync(WriteScope scope, string serviceId) => RulesAsync(scope.Connection, scope.Transaction, serviceId);

    /// <summary>The rules for reading a verification whose service may since have been deleted (only once none of its verifications is pending).</summary>
    private async Task<ServiceRules> RulesForReadingAsync(DbConnection connection, DbTransaction? transaction, string serviceId) =>
        await RulesAsync(connection, transaction, serviceId) ?? _defaultFromOptions.Value;

    /// <summary>
    /// The owner's verification, read for change (locked on PostgreSQL until the transaction ends), while it is pending;
    /// otherwise no row and the answer to give: not found (also for someone else's), or the refusal for its ending,
    /// committed when reading it ended it as expired.
    /// </summary>
    private async Task<(VerificationRow? Row, OperationResult? Answer)> FindPendingAsync(WriteScope scope, VerificationOwner owner, string id, long now, CancellationToken cancellationToken)
    {
        var row = await VerificationStore.FindForUpdateAsync(scope, owner, id);
        if (row is null)
        {
            return (null, NotFound());
        }

        if (!await EndIfExpiredAsync(scope, row, now) && row.CurrentStatus() == VerificationStatus.Pending)
        {
            return (row, null);
        }

        var ended = await ReadSnapshotAsync(scope, owner, id);
        await scope.CommitAsync(cancellationToken);
        return (null, OperationResult.Refuse(RefusalForEnded(row.CurrentStatus()) with { Verification = ended }));
    }

    /// <summary>
    /// Ends the verification as expired when its lifetime is over (it may not have been swept yet); true when it is
    /// expired now, with <paramref name="row"/>'s status updated.
    /// </summary>
    private static async Task<bool> EndIfExpiredAsync(WriteScope scope, VerificationRow row, long now)
    {
        if (row.CurrentStatus() != VerificationStatus.Pending || row.ExpiresAt > now)
        {
            return false;
        }

        await Lifecycle.ExpireAsync(scope, row.Id, now);
        row.Status = VerificationStatus.Expired.ToWireName();
        return true;
    }

    /// <summary>"vf_" and 128 random bits, base64url: unguessable and safe in URLs.</summary>
    private static string NewId() => "vf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    /// <summary>
    /// 403: the key is genuine, but the service it acts in is gone (or was never created), so it may start nothing; no
    /// change to the request helps, only creating the service or repointing the key (named, when it is a configured one).
    /// </summary>
    private static Refused NoSuchService(VerificationOwner owner) => new(Refusal.ServiceNotFound,
        $"This key's service \"{owner.Service}\" does not exist; create it (POST /v1/services with an admin key, or otpgate services create {owner.Service})"
        + (owner.Value.StartsWith("key:", StringComparison.Ordinal) ? $", or point Api:ServiceKeys:{owner.Value[4..]}:Service at an existing service and restart." : "."));

    private static OperationResult NotFound() => OperationResult.Refuse(new Refused(Refusal.NotFound, "No verification has this id."));

    internal static Refused RefusalForEnded(VerificationStatus status) => status switch
    {
        VerificationStatus.Approved => new Refused(Refusal.AlreadyApproved, "This verification was already approved."),
        VerificationStatus.Expired => new Refused(Refusal.Expired, "The code has expired; start a new verification."),
        VerificationStatus.MaxAttemptsReached => new Refused(Refusal.MaxAttemptsReached, "Too many wrong codes were entered; start a new verification."),
        VerificationStatus.Canceled => new Refused(Refusal.Canceled, "This verification was canceled."),
        VerificationStatus.Failed => new Refused(Refusal.Failed, "The code could not be delivered; start a new verification."),
        _ => new Refused(Refusal.NotFound, "No verification has this id."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} started for {Phone} (test number: {IsTest})")]
    private static partial void LogStarted(ILogger logger, string verificationId, string phone, bool isTest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start refused for {Phone}: limit {Limit}")]
    private static partial void LogStartRefused(ILogger logger, string phone, string? limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} resent (new code: {NewCode})")]
    private static partial void LogResent(ILogger logger, string verificationId, bool newCode);

    // Routine outcomes at Debug: each console line costs the server throughput, and the timeline and the
    // otpgate_checks metric keep them. A check that used the last attempt or was turned away stays at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Verification {VerificationId} checked: {Outcome}")]
    private static partial void LogChecked(ILogger logger, string verificationId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} checked: {Outcome}")]
    private static partial void LogCheckedNotably(ILogger logger, string verificationId, string outcome);
}
