namespace OtpGate.Verification.Outbox;

/// <summary>
/// Spaces sends evenly to the channel's rate (messages per second), on the injected clock. Simpler than a token
/// bucket and as good here: the dispatcher is the only sender, and even spacing never bursts past Meta's limit.
/// </summary>
public sealed class SendPacer(int ratePerSecond, TimeProvider time)
{
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(1.0 / ratePerSecond);
    private readonly Lock _gate = new();
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public async ValueTask WaitTurnAsync(CancellationToken cancellationToken)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _interval;
            delay = slot - now;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }
    }
}
