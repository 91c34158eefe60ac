using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Webhooks;

namespace OtpGate.Sandbox.Delivery;

/// <summary>
/// Drives the simulated delivery: sleeps (on the injected TimeProvider) until the next planned status
/// or callback retry, records due statuses, and hands callbacks to the dispatcher. Callbacks run in a
/// second loop so a slow receiver never delays the statuses themselves.
/// </summary>
internal sealed class DeliveryWorker(
    DeliveryScheduler scheduler,
    SandboxMessages messages,
    WebhookRegistry registry,
    WebhookDispatcher dispatcher,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(RunScheduleAsync(stoppingToken), dispatcher.RunAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: pending statuses and callbacks die with the in-memory sandbox.
        }
    }

    /// <summary>Does everything due now; returns how many items it handled.</summary>
    internal int RunDuePass()
    {
        var due = scheduler.TakeDue(timeProvider.GetUtcNow());
        var settings = registry.Current;
        List<WebhookEvent> events = [];
        foreach (var (at, work) in due)
        {
            switch (work)
            {
                case StatusDue status:
                    RecordStatus(status, at, settings, events);
                    break;
                case EchoDue echo:
                    AddEcho(echo, settings, events);
                    break;
                case CallbackDue retry:
                    dispatcher.Retry(retry.Callback);
                    break;
            }
        }

        // Handed over together: the statuses of one pass are ready at the same moment, so those for
        // the same URL may share a request.
        dispatcher.Enqueue(events);
        return due.Count;
    }

    private async Task RunScheduleAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                RunDuePass();
            }
            catch (Exception exception)
            {
                SandboxLog.PassFailed(logger, exception);
            }

            var (nextDue, woken) = scheduler.Peek();
            if (nextDue is null)
            {
                await woken.WaitAsync(stoppingToken);
                continue;
            }

            var wait = nextDue.Value - timeProvider.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var delay = Task.Delay(wait, timeProvider, sleep.Token);

            // A clock moved between reading it and arming the timer (a test advancing a fake clock)
            // would leave the timer one step late: look again once it is armed.
            if (timeProvider.GetUtcNow() < nextDue.Value)
            {
                await Task.WhenAny(delay, woken);
            }

            await sleep.CancelAsync();
        }
    }

    private void RecordStatus(StatusDue status, DateTimeOffset at, WebhookSettings settings, List<WebhookEvent> events)
    {
        // Stamped with the planned time, so a test that jumps a FakeTimeProvider sees the same timeline.
        var change = new SandboxStatusChange(status.Status, at, status.Error);
        var message = messages.AddStatus(status.MessageId, change);
        if (message is null || !settings.AckNotificationsOn)
        {
            return;
        }

        foreach (var url in settings.EnabledUrls)
        {
            events.Add(new WebhookEvent(url, message, change));
        }
    }

    /// <summary>
    /// 1MSG pushes message notifications, echoes of what the business sent included, to every webhook whatever
    /// <c>ackNotificationsOn</c> says (that switch is for statuses); its settings have no switch for them, so the
    /// sandbox's own <see cref="SandboxOptions.MessageEchoes"/> does. Raw hooks carry none: Meta does not echo
    /// messages its Cloud API sent.
    /// </summary>
    private void AddEcho(EchoDue echo, WebhookSettings settings, List<WebhookEvent> events)
    {
        if (!options.Value.MessageEchoes || settings.RawHooks || messages.FindMessage(echo.MessageId) is not { } message)
        {
            return;
        }

        foreach (var url in settings.EnabledUrls)
        {
            events.Add(new WebhookEvent(url, message, null));
        }
    }
}
