namespace OtpGate.Sandbox.Webhooks;

/// <summary>One request to a URL: a batch of fresh events, or a retry of an earlier body (which holds no message back).</summary>
internal sealed record WebhookRequest(IReadOnlyList<WebhookEvent> Events, WebhookCallback? Retry = null);

/// <summary>
/// What waits for one webhook URL and what is in flight to it. A request starts while fewer than
/// <c>maxConcurrentRequests</c> are in flight: a retry first, else up to <c>maxEventsPerRequest</c>
/// of the oldest waiting events. A message with a request in flight is held back until that request
/// ends, so one message's events reach the receiver in the order they happened. Only the
/// dispatcher's loop touches it, so it takes no lock.
/// </summary>
internal sealed class WebhookUrlQueue(int maxEventsPerRequest, int maxConcurrentRequests, int maxPendingEvents)
{
    // Each message's waiting events, oldest first. A message id is in _ready when it has waiting
    // events and nothing in flight, so taking a batch never scans held-back messages.
    private readonly Dictionary<string, Queue<WebhookEvent>> _pending = new(StringComparer.Ordinal);
    private readonly Queue<string> _ready = new();
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);
    private readonly Queue<WebhookCallback> _retries = new();

    public int PendingEvents { get; private set; }

    public int RequestsInFlight { get; private set; }

    public bool IsIdle => PendingEvents == 0 && _retries.Count == 0 && RequestsInFlight == 0;

    /// <summary>Whether the last event offered was dropped (so a full queue is reported once, not per event).</summary>
    public bool Overflowing { get; private set; }

    /// <summary>Adds an event; false (and the event is dropped) when <c>maxPendingEvents</c> already wait.</summary>
    public bool TryAdd(WebhookEvent webhookEvent)
    {
        Overflowing = PendingEvents >= maxPendingEvents;
        if (Overflowing)
        {
            return false;
        }

        var id = webhookEvent.Message.Id;
        if (!_pending.TryGetValue(id, out var events))
        {
            events = new Queue<WebhookEvent>();
            _pending.Add(id, events);
            if (!_inFlight.Contains(id))
            {
                _ready.Enqueue(id);
            }
        }

        events.Enqueue(webhookEvent);
        PendingEvents++;
        return true;
    }

    public void AddRetry(WebhookCallback callback) => _retries.Enqueue(callback);

    /// <summary>Forgets every waiting event and retry (the URL was disabled or removed); requests in flight end normally.</summary>
    public void DropPending()
    {
        _pending.Clear();
        _ready.Clear();
        _retries.Clear();
        PendingEvents = 0;
    }

    /// <summary>The next request to send, or null when the concurrency bound is reached or nothing is ready.</summary>
    public WebhookRequest? TryStart()
    {
        if (RequestsInFlight >= maxConcurrentRequests)
        {
            return null;
        }

        WebhookRequest request;
        if (_retries.TryDequeue(out var retry))
        {
            request = new WebhookRequest([], retry);
        }
        else if (_ready.Count > 0)
        {
            request = new WebhookRequest(TakeBatch());
        }
        else
        {
            return null;
        }

        RequestsInFlight++;
        return request;
    }

    /// <summary>A request ended (answered, failed or timed out): its messages may send their next events.</summary>
    public void End(WebhookRequest request)
    {
        RequestsInFlight--;
        foreach (var webhookEvent in request.Events)
        {
            var id = webhookEvent.Message.Id;
            if (_inFlight.Remove(id) && _pending.ContainsKey(id))
            {
                _ready.Enqueue(id);
            }
        }
    }

    private List<WebhookEvent> TakeBatch()
    {
        List<WebhookEvent> batch = [];
        while (batch.Count < maxEventsPerRequest && _ready.TryDequeue(out var id))
        {
            // All of a message's waiting events go together, in order; a remainder past the bound
            // waits for this request to end, as later events of an in-flight message always do.
            var events = _pending[id];
            while (batch.Count < maxEventsPerRequest && events.TryDequeue(out var webhookEvent))
            {
                batch.Add(webhookEvent);
            }

            if (events.Count == 0)
            {
                _pending.Remove(id);
            }

            _inFlight.Add(id);
        }

        PendingEvents -= batch.Count;
        return batch;
    }
}
