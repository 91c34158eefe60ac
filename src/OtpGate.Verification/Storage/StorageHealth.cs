using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Whether the database takes writes: faulted from the first write that fails for a storage reason (see
/// <see cref="StorageFault"/>) until writes have succeeded for <see cref="SettleTime"/> with none failing. Logs each
/// fault once when it starts and once when it ends, with the number of failed writes, so a broken disk under load
/// costs two log lines instead of a stack trace per request.
/// </summary>
public sealed class StorageHealth(ILogger? logger = null, TimeProvider? time = null)
{
    /// <summary>The most often readiness tries a real write while writes fail.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long writes must succeed, none failing, before the fault is over. A full disk lets a small write through
    /// between failing big ones: one fault, not one per lucky write, and readiness does not flap meanwhile.
    /// </summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();

    // The same failure reaches several catch sites (the writer, then the endpoint or worker): it counts once.
    private readonly ConditionalWeakTable<Exception, object> _counted = [];
    private volatile bool _faulted;
    private volatile bool _writable;
    private string? _reason;
    private DateTimeOffset _since;
    private DateTimeOffset _lastFailure;
    private DateTimeOffset _succeededAt;
    private ITimer? _settling;
    private long _failuresInFault;
    private long _failures;
    private long _lastProbe = long.MinValue;

    /// <summary>True while writes fail, or have not yet succeeded for <see cref="SettleTime"/>.</summary>
    public bool IsFaulted => _faulted;

    /// <summary>Why writes fail (null when they do not).</summary>
    public string? Reason => _faulted ? _reason : null;

    /// <summary>When the current fault began.</summary>
    public DateTimeOffset? FaultedSince => _faulted ? _since : null;

    /// <summary>Writes that failed for a storage reason since the process started.</summary>
    public long FailedWrites => Interlocked.Read(ref _failures);

    /// <summary>
    /// Records a failure; returns true when it is a storage fault (logged here, once per fault), false for any other
    /// error, which the caller reports itself.
    /// </summary>
    public bool Report(Exception exception)
    {
        if (StorageFault.FindCause(exception) is not { } cause)
        {
            return false;
        }

        if (!_writable || !_counted.TryAdd(cause, cause))
        {
            // Before the database was first found writable, a failure stops the start-up with a sentence of its own.
            return true;
        }

        Interlocked.Increment(ref _failures);
        lock (_lock)
        {
            _failuresInFault++;
            _lastFailure = _time.GetUtcNow();
            if (!_faulted)
            {
                _reason = StorageFault.Describe(cause);
                _since = _lastFailure;
                _faulted = true;
                StorageLog.WritesFailing(_logger, _reason, cause);
            }
        }

        return true;
    }

    /// <summary>A write reached the disk. On the hot path: one volatile read unless a fault is ending.</summary>
    public void Succeeded()
    {
        if (!_faulted)
        {
            return;
        }

        lock (_lock)
        {
            if (_faulted && _settling is null)
            {
                _succeededAt = _time.GetUtcNow();
                // Without the request's log scope (or anything else of the write that happened to end the fault).
                using (ExecutionContext.SuppressFlow())
                {
                    _settling = _time.CreateTimer(_ => Settle(), null, SettleTime, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>The database took a write (or was migrated) once: from now on failures are faults, logged and counted here.</summary>
    internal void MarkWritable() => _writable = true;

    /// <summary>True at most once per <see cref="ProbeInterval"/>: whether a readiness check may try a write now.</summary>
    public bool TryStartProbe()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastProbe);
        return (last == long.MinValue || _time.GetElapsedTime(last, now) >= ProbeInterval)
            && Interlocked.CompareExchange(ref _lastProbe, now, last) == last;
    }

    /// <summary><see cref="SettleTime"/> after a success: the fault is over unless a write failed since.</summary>
    private void Settle()
    {
        lock (_lock)
        {
            _settling?.Dispose();
            _settling = null;
            if (!_faulted || _lastFailure >= _succeededAt)
            {
                // Failing again: the fault goes on, and the next success waits its own settle time.
                return;
            }

            StorageLog.WritesRecovered(_logger, _failuresInFault, (_succeededAt - _since).TotalSeconds);
            _failuresInFault = 0;
            _faulted = false;
        }
    }
}
