using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;

namespace OtpGate.Server.Api;

/// <summary>
/// Caps the server-sent-event streams open at once per holder: a sign-up session and a client address for
/// <c>/signup/events</c>, an API key for <c>/v1/verifications/{id}/events</c>. Each open stream holds a connection, a
/// watch and its buffers (about 45 KiB), and a stream costs its opener nothing: one cookie could hold thousands. The
/// counts are this instance's, which is what its memory needs.
/// </summary>
internal sealed class EventStreamLimits(IOptions<ApiOptions> options)
{
    /// <summary>When to try again: streams end when their verification does, or when their reader leaves.</summary>
    public const int RetryAfterSeconds = 10;

    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private ApiEventStreamOptions Limits => options.Value.EventStreams;

    /// <summary>A slot for a sign-up page's stream, held until the request ends; null when the session or the address has its fill.</summary>
    public IDisposable? TryOpenSignUp(HttpContext context, string sessionId) =>
        TryAcquire(context, ("session:" + sessionId, Limits.PerSession), ("address:" + RateLimits.ClientAddress(context), Limits.PerAddress));

    /// <summary>A slot for an API stream, held until the request ends; null when the key has its fill.</summary>
    public IDisposable? TryOpenApi(HttpContext context, string keyName) => TryAcquire(context, ("key:" + keyName, Limits.PerKey));

    /// <summary>The 429 answer, a problem detail with <c>Retry-After</c>.</summary>
    public static ProblemHttpResult TooMany(HttpContext context, string holder)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var details = ApiProblems.Details(StatusCodes.Status429TooManyRequests, "too_many_streams",
            $"Too many event streams are open for this {holder}; close one, or try again in {RetryAfterSeconds} seconds.");
        details.Extensions["retryAfter"] = RetryAfterSeconds;
        return TypedResults.Problem(details);
    }

    // All the slots or none; the lease is released with the request (RegisterForDispose), however the stream ends.
    private Lease? TryAcquire(HttpContext context, params ReadOnlySpan<(string Key, int Limit)> slots)
    {
        var keys = new string[slots.Length];
        lock (_lock)
        {
            foreach (var (key, limit) in slots)
            {
                if (_open.GetValueOrDefault(key) >= limit)
                {
                    return null;
                }
            }

            for (var i = 0; i < slots.Length; i++)
            {
                keys[i] = slots[i].Key;
                _open[keys[i]] = _open.GetValueOrDefault(keys[i]) + 1;
            }
        }

        var lease = new Lease(this, keys);
        context.Response.RegisterForDispose(lease);
        return lease;
    }

    private void Release(string[] keys)
    {
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (_open.TryGetValue(key, out var count) && count > 1)
                {
                    _open[key] = count - 1;
                }
                else
                {
                    _open.Remove(key);
                }
            }
        }
    }

    private sealed class Lease(EventStreamLimits owner, string[] keys) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(keys);
            }
        }
    }
}
