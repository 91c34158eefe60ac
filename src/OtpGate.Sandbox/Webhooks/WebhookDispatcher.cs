using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Delivery;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>
/// POSTs callbacks. Each batch is sent in parallel across URLs and in order within one URL (so a
/// healthy receiver sees a message's statuses in the order they happened). A failed attempt (non-2xx,
/// timeout, refused) is scheduled again after the next retry delay while the URL stays enabled.
/// </summary>
internal sealed class WebhookDispatcher(
    IHttpClientFactory httpClientFactory,
    WebhookRegistry registry,
    DeliveryScheduler scheduler,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "OtpGate.Sandbox.Webhooks";

    private readonly Channel<WebhookCallback> _pending = Channel.CreateUnbounded<WebhookCallback>();
    private readonly IReadOnlyList<TimeSpan> _retryDelays = options.Value.EffectiveRetryDelays;
    private readonly TimeSpan _timeout = options.Value.WebhookTimeout;
    private readonly int _disableAfter = options.Value.WebhookDisableAfterFailures;

    public void Enqueue(WebhookCallback callback) => _pending.Writer.TryWrite(callback);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (await _pending.Reader.WaitToReadAsync(cancellationToken))
        {
            List<WebhookCallback> batch = [];
            while (_pending.Reader.TryRead(out var callback))
            {
                batch.Add(callback);
            }

            await DispatchBatchAsync(batch, cancellationToken);
        }
    }

    public Task DispatchBatchAsync(IReadOnlyList<WebhookCallback> batch, CancellationToken cancellationToken) =>
        Task.WhenAll(batch.GroupBy(c => c.Url, StringComparer.Ordinal).Select(g => SendInOrderAsync([.. g], cancellationToken)));

    private async Task SendInOrderAsync(IReadOnlyList<WebhookCallback> callbacks, CancellationToken cancellationToken)
    {
        foreach (var callback in callbacks)
        {
            if (!registry.IsEnabled(callback.Url))
            {
                continue;
            }

            var error = await TryPostAsync(callback, cancellationToken);
            if (error is null)
            {
                registry.RecordSuccess(callback.Url);
                continue;
            }

            SandboxLog.CallbackFailed(logger, callback.Url, callback.Attempt + 1, error);
            if (!registry.RecordFailure(callback.Url, error))
            {
                SandboxLog.WebhookDisabled(logger, callback.Url, _disableAfter);
            }
            else if (registry.Current.GuaranteedHooks && callback.Attempt < _retryDelays.Count)
            {
                var due = timeProvider.GetUtcNow() + _retryDelays[callback.Attempt];
                scheduler.Schedule(due, new CallbackDue(callback with { Attempt = callback.Attempt + 1 }));
            }
        }
    }

    /// <summary>Returns null on a 2xx answer, else a short description of what went wrong.</summary>
    private async Task<string?> TryPostAsync(WebhookCallback callback, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var content = new StringContent(callback.Body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(new Uri(callback.Url), content, linked.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"No answer within {_timeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException exception)
        {
            return exception.HttpRequestError == HttpRequestError.ConnectionError
                ? "Connection refused"
                : $"Request failed: {exception.HttpRequestError}";
        }
    }
}
