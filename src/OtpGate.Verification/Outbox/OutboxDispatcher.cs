using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Fallback;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Outbox;

/// <summary>
/// Sends due jobs through their channel (<see cref="ICodeChannel"/>), many in flight at once, paced to the channel's rate. Woken at once by
/// <see cref="OutboxSignal"/>, polling as the backstop. A job is claimed with a lease, extended while its send is in
/// flight; a crash mid-send leaves the claim to expire and the job is sent again with the same code (at-least-once,
/// never a different code).
/// </summary>
public sealed partial class OutboxDispatcher(
    Database database,
    CodeChannels channels,
    CodeProtector protector,
    OutboxSignal signal,
    SendPacer pacer,
    DeliveryIntake intake,
    VerificationMetrics metrics,
    ServiceCatalog services,
    SmsFallback fallback,
    IOptions<VerificationOptions> options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly VerificationOptions _options = options.Value;
    private readonly ConcurrentDictionary<long, Task> _inFlight = new();
    private readonly SendRulesCache _rules = new(services);

    /// <summary>When the leases of the sends in flight are next extended (Unix ms); passes run one at a time.</summary>
    private long _renewLeasesAt;

    /// <summary>This process's name on the claims it takes.</summary>
    public string InstanceId { get; } = Environment.MachineName + ":" + Environment.ProcessId + ":" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>Number of sends in flight now.</summary>
    public int InFlight => _inFlight.Count;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!database.Dialect.SharedByInstances)
        {
            // One process owns a SQLite file: claims left by an earlier run belong to a dead process.
            await OutboxStore.ReleaseAllClaimsAsync(database, stoppingToken);
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var claimed = 0;
                try
                {
                    claimed = await DispatchAvailableAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // A storage fault is logged once by the database, not once per pass.
                    if (!database.ReportFailure(e))
                    {
                        LogPassFailed(logger, e);
                    }
                }

                if (claimed == 0 || _inFlight.Count >= _options.Dispatch.EffectiveMaxConcurrency)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping while a claim was under way (Npgsql honours the token mid-query).
        }
        finally
        {
            // Graceful shutdown: let the sends already under way finish (each is bounded by the client's timeout).
            await Task.WhenAll(_inFlight.Values);
        }
    }

    /// <summary>Extends the leases in flight when due, claims as many due jobs as there is room for and starts them; returns how many were claimed.</summary>
    internal async Task<int> DispatchAvailableAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await RenewLeasesIfDueAsync(now, cancellationToken);
        await FallBackIfDueAsync(now, cancellationToken);
        var room = _options.Dispatch.EffectiveMaxConcurrency - _inFlight.Count;
        if (room <= 0)
        {
            return 0;
        }

        var (jobs, rules) = await ClaimAsync(room, now, cancellationToken);
        foreach (var job in jobs)
        {
            // In-flight sends are tracked and awaited at shutdown; they run on their own so one slow send never holds up the rest.
            _inFlight[job.Id] = RunJobAsync(job, job.Context is { } context ? rules[context.ServiceId] : null);
        }

        return jobs.Count;
    }

    /// <summary>Claims due jobs and, in the same transaction, reads the rules of each service they belong to.</summary>
    private async Task<(IReadOnlyList<ClaimedJob> Jobs, Dictionary<string, SendRules> Rules)> ClaimAsync(int room, long now, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var jobs = await OutboxStore.ClaimAsync(scope, InstanceId, room, now, now + VerificationService.Ms(_options.Dispatch.Lease));
        var rules = new Dictionary<string, SendRules>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (job.Context is { } context && !rules.ContainsKey(context.ServiceId))
            {
                rules[context.ServiceId] = await _rules.ForAsync(scope, context.ServiceId);
            }
        }

        await scope.CommitAsync(cancellationToken);
        return (jobs, rules);
    }

    /// <summary>
    /// Extends the leases of the sends in flight, every third of the lease. A send may outlast its lease (a slow
    /// channel answer, a starved CPU, a wait for the pacer); without this, another instance (or this one) would take
    /// the job over while it is still being sent, and the user would get the code twice. Only a dead instance's
    /// leases run out.
    /// </summary>
    private async Task RenewLeasesIfDueAsync(long now, CancellationToken cancellationToken)
    {
        if (_inFlight.IsEmpty || now < _renewLeasesAt)
        {
            return;
        }

        var lease = VerificationService.Ms(_options.Dispatch.Lease);
        _renewLeasesAt = now + VerificationService.Ms(RenewalInterval);
        await OutboxStore.RenewLeasesAsync(database, InstanceId, [.. _inFlight.Keys], now + lease, cancellationToken);
    }

    /// <summary>How often the leases of the sends in flight are extended: a third of the lease, so two renewals may be late.</summary>
    private TimeSpan RenewalInterval => _options.Dispatch.Lease / 3;

    /// <summary>Sends every due job and waits for all of them: one complete pass, for tests and tools.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var claimed = await DispatchAvailableAsync(cancellationToken);
            total += claimed;
            await Task.WhenAll(_inFlight.Values);
            if (claimed == 0)
            {
                return total;
            }
        }
    }

    private async Task RunJobAsync(ClaimedJob job, SendRules? rules)
    {
        await Task.Yield();
        try
        {
            await ProcessAsync(job, rules, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The claim stays; its lease runs out and the job is tried again.
            if (!database.ReportFailure(e))
            {
                LogJobFailed(logger, job.Id, e);
            }
        }
        finally
        {
            _inFlight.TryRemove(job.Id, out _);
            signal.Notify();
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        // Sends in flight keep their leases only if a pass comes round to renew them.
        var poll = _inFlight.IsEmpty || _options.Dispatch.PollInterval < RenewalInterval ? _options.Dispatch.PollInterval : RenewalInterval;
        var wake = signal.WaitAsync(poll, time, stoppingToken);
        try
        {
            await wake;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(ClaimedJob job, SendRules? rules, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var context = job.Context;
        if (context is null || rules is null || context.Status != VerificationStatus.Pending.ToWireName() || context.ExpiresAt <= now || context.CodeCipher is null || context.CodeKeyId is null)
        {
            // The verification ended (or expired) while the job waited: nothing to send.
            await using var scope = await database.BeginWriteAsync(cancellationToken);
            await Lifecycle.SendCanceledAsync(scope, job.Id, now);
            await scope.CommitAsync(cancellationToken);
            return;
        }

        // Stored parsed at the start: read back, never parsed again.
        var phone = new PhoneNumber(context.Phone, context.Region);
        var code = protector.Unprotect(context.Id, context.CodeKeyId, context.CodeCipher);
        var timeToLive = TimeSpan.FromSeconds(rules.MessageTtlSeconds(context.ExpiresAt - now));
        CodeSendOutcome outcome;
        if (channels.Find(job.Channel) is { } channel)
        {
            await pacer.WaitTurnAsync(cancellationToken);
            var text = rules.TextFor(code, context.Locale, TimeSpan.FromMilliseconds(context.ExpiresAt - now));
            outcome = await channel.SendCodeAsync(new CodeMessage(phone, code, context.Locale, timeToLive, rules.TemplateFor(context.Locale), text), cancellationToken);
        }
        else
        {
            // A send recorded for a channel this configuration does not have (another instance's, or one removed).
            outcome = new CodeRejected(FailureReason.SendFailed, Permanent: true, $"No channel named \"{job.Channel}\" is configured.");
        }

        await RecordOutcomeAsync(job, context, rules, outcome, code, cancellationToken);
    }
}
