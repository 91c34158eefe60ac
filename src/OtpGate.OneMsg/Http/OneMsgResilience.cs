using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OtpGate.OneMsg.Http;

/// <summary>
/// The resilience pipeline around every 1MSG request: a retry outside a per-attempt timeout. The retry rule is
/// the one that keeps sends honest: a request is repeated only when it surely never reached 1MSG (DNS failure,
/// connection refused) or 1MSG answered 429. A timeout or 5xx is repeated only for GET, because a repeated
/// <c>sendTemplate</c> may send the code twice. The standard handler's defaults retry 5xx and timeouts for
/// every method, hence this custom predicate.
/// </summary>
internal static class OneMsgResilience
{
    public const string PipelineName = "OneMsg";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<OneMsgOptions>>().Value;
        var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        var logger = context.ServiceProvider.GetRequiredService<ILogger<OneMsgClient>>();
        builder.TimeProvider = time;

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome, options, time)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var operation = request is null ? "" : $"{request.Method.Method} {request.RequestUri?.Segments.LastOrDefault()}";
                    var cause = args.Outcome.Exception is { } e ? e.GetType().Name : $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    OneMsgLog.Retrying(logger, operation, args.RetryDelay.TotalMilliseconds, args.AttemptNumber + 1, cause);
                    return default;
                },
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, OneMsgOptions options, TimeProvider time)
    {
        var method = context.GetRequestMessage()?.Method;
        var idempotent = method == HttpMethod.Get || method == HttpMethod.Head;
        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                _ when TransportFailure.RequestNeverLeft(exception) => true,
                TimeoutRejectedException => idempotent,
                HttpRequestException or IOException => idempotent,
                _ => false,
            };
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // A long Retry-After goes back to the caller as RateLimited rather than holding the call open.
            return TransportFailure.RetryAfter(response.Headers, time.GetUtcNow()) is not { } wait || wait <= options.MaxRetryDelay;
        }

        return idempotent && ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout);
    }

    /// <summary><c>Retry-After</c> when 1MSG gives one; otherwise exponential from the base delay with "equal jitter".</summary>
    internal static TimeSpan Delay(int attempt, Outcome<HttpResponseMessage> outcome, OneMsgOptions options, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            && TransportFailure.RetryAfter(response.Headers, time.GetUtcNow()) is { } wait)
        {
            return wait <= options.MaxRetryDelay ? wait : options.MaxRetryDelay;
        }

        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt, 20));
        var half = exponential / 2;
        var jittered = half + half * (RandomNumberGenerator.GetInt32(0, 1001) / 1000.0);
        return jittered <= options.MaxRetryDelay ? jittered : options.MaxRetryDelay;
    }
}
