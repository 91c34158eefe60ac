using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>
/// The pipeline around every Twilio request, the 1MSG client's rule: a retry outside a per-attempt timeout, and a
/// request repeated only when it surely never reached Twilio (DNS, connection refused) or Twilio answered 429 with a
/// short enough wait. A timeout or 5xx is repeated only for a GET: a repeated send may text the code twice.
/// </summary>
internal static class TwilioResilience
{
    public const string PipelineName = "Twilio";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<SmsOptions>>().Value.Twilio;
        var time = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        builder.TimeProvider = time;
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, options, time)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.AttemptNumber, args.Outcome, options, time)),
            });
        }

        builder.AddTimeout(options.AttemptTimeout);
    }

    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, TwilioSmsOptions options, TimeProvider time)
    {
        var idempotent = context.GetRequestMessage()?.Method == HttpMethod.Get;
        if (outcome.Exception is { } exception)
        {
            return TwilioTransportFailure.RequestNeverLeft(exception)
                || (idempotent && exception is TimeoutRejectedException or HttpRequestException or IOException);
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // A long Retry-After goes back to the outbox as "retry later" rather than holding the send open.
            return TwilioTransportFailure.RetryAfter(response.Headers, time.GetUtcNow()) is not { } wait || wait <= options.MaxRetryDelay;
        }

        return idempotent && (int)response.StatusCode >= 500;
    }

    internal static TimeSpan Delay(int attempt, Outcome<HttpResponseMessage> outcome, TwilioSmsOptions options, TimeProvider time)
    {
        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } response
            && TwilioTransportFailure.RetryAfter(response.Headers, time.GetUtcNow()) is { } wait)
        {
            return wait <= options.MaxRetryDelay ? wait : options.MaxRetryDelay;
        }

        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(attempt, 20));
        var half = exponential / 2;
        var jittered = half + half * (RandomNumberGenerator.GetInt32(0, 1001) / 1000.0);
        return jittered <= options.MaxRetryDelay ? jittered : options.MaxRetryDelay;
    }
}
