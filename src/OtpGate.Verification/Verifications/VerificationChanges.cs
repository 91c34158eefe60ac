using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// Tells in-process watchers (the server's server-sent events) that a verification changed: started, sent,
/// delivered, checked, ended. Only this process's changes are seen; watchers re-read the verification on each
/// signal and should also re-read now and then, for changes made by other instances.
/// </summary>
public sealed class VerificationChanges
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<bool>, byte>> _watchers = new(StringComparer.Ordinal);

    /// <summary>Yields once at once, then each time the verification changes, or after <paramref name="recheck"/> without a change.</summary>
    public async IAsyncEnumerable<bool> WatchAsync(string verificationId, TimeSpan recheck, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var set = _watchers.GetOrAdd(verificationId, _ => new());
        set.TryAdd(channel, 0);
        try
        {
            yield return true;
            while (!cancellationToken.IsCancellationRequested)
            {
                using var timeout = new CancellationTokenSource(recheck, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                var changed = false;
                try
                {
                    changed = await channel.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // No change signalled here for a while: let the watcher re-read anyway.
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return changed;
            }
        }
        finally
        {
            set.TryRemove(channel, out _);
            if (set.IsEmpty)
            {
                _watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<Channel<bool>, byte>>(verificationId, set));
            }
        }
    }

    /// <summary>Number of verifications watched now (for tests and metrics).</summary>
    public int WatchedCount => _watchers.Count;

    /// <summary>Signals the watchers of each id.</summary>
    public void Publish(IReadOnlyCollection<string> verificationIds)
    {
        foreach (var id in verificationIds)
        {
            if (_watchers.TryGetValue(id, out var set))
            {
                foreach (var channel in set.Keys)
                {
                    channel.Writer.TryWrite(true);
                }
            }
        }
    }
}
