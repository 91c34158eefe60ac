using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Delivery;

namespace OtpGate.Sandbox.Webhooks;

/// <summary>
/// POSTs callbacks. Events that are ready together for one URL share a request (several <c>ack</c>
/// entries or Meta <c>statuses</c>, up to <see cref="SandboxOptions.WebhookMaxEventsPerRequest"/>);
/// up to <see cref="SandboxOptions.WebhookMaxConcurrentRequests"/> requests per URL are in flight, and
/// a message's next events wait for its request in flight, so a healthy receiver sees each message's
/// statuses in the order they happened. A failed attempt (non-2xx, timeout, refused) is scheduled
/// again after the next retry delay while the URL stays enabled.
/// </summary>
/// <remarks>
/// One loop owns every queue: it reads what happened (events ready, retries due, requests ended) and
/// starts the requests that may start. Nothing waits to fill a batch; batches form from what is ready
/// in one delivery pass and from what piles up while every slot is busy.
/// </remarks>
internal sealed class WebhookDispatcher(
    IHttpClientFactory httpClientFactory,
    WebhookRegistry registry,
    DeliveryScheduler scheduler,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "OtpGate.Sandbox.Webhooks";

    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<string, WebhookUrlQueue> _queues = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _sending = [];
    private readonly SandboxOptions _options = options.Value;
    private readonly IReadOnlyList<TimeSpan> _retryDelays = options.Value.EffectiveRetryDelays;

    /// <summary>Hands over the events of one delivery pass at once, so those for the same URL can share a request.</summary>
    public void Enqueue(IReadOnlyList<WebhookEvent> events)
    {
        if (events.Count > 0)
        {
            _inputs.Writer.TryWrite(new EventsReady(events));
        }
    }

    /// <summary>A failed request is due again: it is resent as it was (same body, same events).</summary>
    public void Retry(WebhookCallback callback) => _inputs.Writer.TryWrite(new RetryDue(callback));

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _inputs.Reader.WaitToReadAsync(cancellationToken))
            {
                while (_inputs.Reader.TryRead(out var input))
                {
                    Apply(input);
                }

                StartRequests(cancellationToken);
            }
        }
        finally
        {
            // Requests in flight share the stopping token: wait for them to end rather than leave them behind.
            try
            {
                await Task.WhenAll(_sending);
            }
            catch (OperationCanceledException)
            {
                // Cancelled by the stop.
            }
        }
    }

    private void Apply(Input input)
    {
        switch (input)
        {
            case EventsReady ready:
                foreach (var webhookEvent in ready.Events)
                {
                    var queue = QueueFor(webhookEvent.Url);
                    var wasOverflowing = queue.Overflowing;
                    if (!queue.TryAdd(webhookEvent) && !wasOverflowing)
                    {
                        SandboxLog.CallbackDropped(logger, webhookEvent.Url, _options.WebhookMaxPendingEvents);
                    }
                }

                break;
            case RetryDue retry:
                QueueFor(retry.Callback.Url).AddRetry(retry.Callback);
                break;
            case RequestEnded ended:
                _queues[ended.Url].End(ended.Request);
                break;
        }
    }

    private WebhookUrlQueue QueueFor(string url)
    {
        if (!_queues.TryGetValue(url, out var queue))
        {
            queue = new WebhookUrlQueue(_options.WebhookMaxEventsPerRequest, _options.WebhookMaxConcurrentRequests, _options.WebhookMaxPendingEvents);
            _queues.Add(url, queue);
        }

        return queue;
    }

    private void StartRequests(CancellationToken cancellationToken)
    {
        _sending.RemoveWhere(t => t.IsCompleted);
        var settings = registry.Current;
        var instanceId = _options.EffectiveInstanceId;
        List<string> idle = [];
        foreach (var (url, queue) in _queues)
        {
            if (!registry.IsEnabled(url))
            {
                queue.DropPending();
            }

            while (queue.TryStart() is { } request)
            {
                // The format is the one set when the request is built; a retry resends its first body.
                var callback = request.Retry ?? new WebhookCallback(url, WebhookPayloads.Body(instanceId, settings.RawHooks, request.Events), 0);
                _sending.Add(SendAsync(callback, request, cancellationToken));
            }

            if (queue.IsIdle)
            {
                idle.Add(url);
            }
        }

        foreach (var url in idle)
        {
            _queues.Remove(url);
        }
    }

    private async Task SendAsync(WebhookCallback callback, WebhookRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var error = await TryPostAsync(callback, cancellationToken);
            if (error is null)
            {
                registry.RecordSuccess(callback.Url);
                return;
            }

            SandboxLog.CallbackFailed(logger, callback.Url, callback.Attempt + 1, error);
            switch (registry.RecordFailure(callback.Url, error))
            {
                case WebhookFailureOutcome.Disabled:
                    SandboxLog.WebhookDisabled(logger, callback.Url, _options.WebhookDisableAfterFailures);
                    break;
                case WebhookFailureOutcome.StillEnabled when registry.Current.GuaranteedHooks && callback.Attempt < _retryDelays.Count:
                    var due = timeProvider.GetUtcNow() + _retryDelays[callback.Attempt];
                    scheduler.Schedule(due, new CallbackDue(callback with { Attempt = callback.Attempt + 1 }));
                    break;
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Not an HTTP failure (those are handled above): log it rather than lose it with the task.
            SandboxLog.CallbackCrashed(logger, callback.Url, exception);
        }
        finally
        {
            _inputs.Writer.TryWrite(new RequestEnded(callback.Url, request));
        }
    }

    /// <summary>Returns null on a 2xx answer, else a short description of what went wrong.</summary>
    private async Task<string?> TryPostAsync(WebhookCallback callback, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.WebhookTimeout, timeProvider);
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
            return $"No answer within {_options.WebhookTimeout.TotalSeconds:0.###} s";
        }
        catch (HttpRequestException exception)
        {
            return exception.HttpRequestError == HttpRequestError.ConnectionError
                ? "Connection refused"
                : $"Request failed: {exception.HttpRequestError}";
        }
    }

    private abstract record Input;

    private sealed record EventsReady(IReadOnlyList<WebhookEvent> Events) : Input;

    private sealed record RetryDue(WebhookCallback Callback) : Input;

    private sealed record RequestEnded(string Url, WebhookRequest Request) : Input;
}
