using System.Runtime.CompilerServices;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Verifications;

/// <summary>
/// A verification's snapshots as they change: one at once, then one after each committed change that altered what a
/// client sees. Ends after a terminal status, when the client goes away, or when the server stops (so open streams never
/// hold up a graceful shutdown).
/// </summary>
internal sealed class VerificationWatch(VerificationService verifications, VerificationChanges changes, TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>Re-read this often without a signal: catches expiry and changes made by another instance.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <summary>The owner's verification as it changes; nothing for a verification that is not the owner's.</summary>
    public async IAsyncEnumerable<VerificationSnapshot> WatchAsync(VerificationOwner owner, string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        object? last = null;
        var enumerator = changes.WatchAsync(id, Recheck, time, stop.Token).GetAsyncEnumerator(stop.Token);
        try
        {
            while (await MoveNextAsync(enumerator))
            {
                var snapshot = await TryGetAsync(owner, id, stop.Token);
                if (snapshot is null)
                {
                    yield break;
                }

                var fingerprint = Fingerprint(snapshot);
                if (!fingerprint.Equals(last))
                {
                    last = fingerprint;
                    yield return snapshot;
                }

                if (snapshot.Status != VerificationStatus.Pending)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
        }
    }

    // Stopping is an ordinary end of the stream, not an error.
    private static async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<bool> enumerator)
    {
        try
        {
            return await enumerator.MoveNextAsync();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<VerificationSnapshot?> TryGetAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await verifications.GetAsync(owner, id, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static (VerificationStatus, string, int, int, DateTimeOffset?, int, string) Fingerprint(VerificationSnapshot s) =>
        (s.Status, s.DeliveryStatus, s.AttemptsLeft, s.SendsLeft, s.ResendAvailableAt, s.Timeline.Count, string.Join(',', s.Sends.Select(x => x.Status)));
}
