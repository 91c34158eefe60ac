using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// The channel's send rate: a token bucket of <see cref="SandboxOptions.RateLimitPerSecond"/> tokens
/// refilled at that many per second (so the burst equals the rate), on the injected clock.
/// </summary>
internal sealed class TokenBucket(IOptions<SandboxOptions> options, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly double _capacity = options.Value.RateLimitPerSecond;
    private double _tokens = options.Value.RateLimitPerSecond;
    private long _refilledAt = timeProvider.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (timeProvider.GetElapsedTime(_refilledAt, now).TotalSeconds * _capacity));
            _refilledAt = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
