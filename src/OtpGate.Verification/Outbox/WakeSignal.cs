using System.Threading.Channels;

namespace OtpGate.Verification.Outbox;

/// <summary>
/// Wakes a dispatcher at once when a commit leaves it work (polling remains the backstop). At most one wake-up is
/// pending: a dispatcher that wakes reads everything due, so further notices meanwhile add nothing.
/// </summary>
public abstract class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a notification or the timeout, whichever comes first; true for a notification.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeoutSource.Token, cancellationToken);
        try
        {
            await _channel.Reader.ReadAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: poll anyway.
            return false;
        }
    }
}
