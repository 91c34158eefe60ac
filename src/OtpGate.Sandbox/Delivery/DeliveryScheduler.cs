using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Delivery;

/// <summary>Something the delivery worker does at a given time.</summary>
internal abstract record ScheduledWork;

/// <summary>A message reaches a status.</summary>
internal sealed record StatusDue(string MessageId, string Status, SandboxDeliveryError? Error) : ScheduledWork;

/// <summary>A message leaves the business: its <c>fromMe</c> echo is pushed to the webhooks.</summary>
internal sealed record EchoDue(string MessageId) : ScheduledWork;

/// <summary>A webhook callback is (re)tried.</summary>
internal sealed record CallbackDue(WebhookCallback Callback) : ScheduledWork;

/// <summary>
/// The timetable of pending work, ordered by due time then by insertion (so statuses planned for the
/// same instant keep their order). The worker sleeps until the earliest item or until woken.
/// </summary>
internal sealed class DeliveryScheduler
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<ScheduledWork, (DateTimeOffset Due, long Sequence)> _queue = new();
    private long _sequence;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public void Schedule(DateTimeOffset due, ScheduledWork work)
    {
        TaskCompletionSource wake;
        lock (_lock)
        {
            _queue.Enqueue(work, (due, _sequence++));
            wake = _wake;
            _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }

    /// <summary>Removes and returns, in order, everything due at or before <paramref name="now"/>.</summary>
    public IReadOnlyList<(DateTimeOffset Due, ScheduledWork Work)> TakeDue(DateTimeOffset now)
    {
        lock (_lock)
        {
            List<(DateTimeOffset, ScheduledWork)> due = [];
            while (_queue.TryPeek(out var work, out var key) && key.Due <= now)
            {
                _queue.Dequeue();
                due.Add((key.Due, work));
            }

            return due;
        }
    }

    /// <summary>The earliest due time (null when empty) and a task that completes when something new is scheduled.</summary>
    public (DateTimeOffset? NextDue, Task Woken) Peek()
    {
        lock (_lock)
        {
            return (_queue.TryPeek(out _, out var key) ? key.Due : null, _wake.Task);
        }
    }
}
