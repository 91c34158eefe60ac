using OtpGate.Cli.Output;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.Cli.Sending;

/// <summary>
/// Follows one message through <c>hookInfo</c> until it is delivered, read or failed, or the timeout passes.
/// Progress goes to standard error (standard output stays clean for <c>--json</c>): a live, rewritten line on a
/// terminal, one plain line per new status otherwise.
/// </summary>
internal sealed class DeliveryWatcher(OneMsgClient client, CliConsole console, TimeProvider time, TimeSpan interval)
{
    private static readonly string[] Spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
    private int _frame;

    public async Task<DeliveryReport> WatchAsync(string messageId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var seen = new HashSet<(DeliveryStatus, DateTimeOffset?)>();
        var history = new List<StatusEvent>();
        var errors = console.Error;
        await errors.WriteLineAsync($"Waiting for delivery (up to {Durations.Format(timeout)})…");
        try
        {
            while (true)
            {
                await PollAsync(messageId, seen, history, started, cancellationToken);
                var current = Summarise(history);
                var elapsed = time.GetElapsedTime(started);
                if (current is DeliveryStatus.Delivered or DeliveryStatus.Read or DeliveryStatus.Failed || elapsed >= timeout)
                {
                    var done = current is DeliveryStatus.Delivered or DeliveryStatus.Read or DeliveryStatus.Failed;
                    return DeliveryReport.From(current, history, timedOut: !done, elapsed, timeout);
                }

                DrawLiveLine(current, elapsed);
                var wait = timeout - elapsed < interval ? timeout - elapsed : interval;
                await Task.Delay(wait, time, cancellationToken);
            }
        }
        finally
        {
            ClearLiveLine();
        }
    }

    private async Task PollAsync(string messageId, HashSet<(DeliveryStatus, DateTimeOffset?)> seen, List<StatusEvent> history, long started, CancellationToken cancellationToken)
    {
        IReadOnlyList<StatusEvent> events;
        try
        {
            events = await client.GetHookInfoAsync(messageId, cancellationToken);
        }
        catch (OneMsgException e) when (e.IsTransient)
        {
            // One failed poll is not the end of the wait; the next one may work.
            ClearLiveLine();
            await console.Error.WriteLineAsync($"  hookInfo failed ({e.Message}); trying again.");
            return;
        }

        foreach (var status in events.Where(e => seen.Add((e.Status, e.Timestamp))))
        {
            history.Add(status);
            ClearLiveLine();
            var error = status.ErrorText is null ? "" : $": {status.ErrorText}{(status.ErrorCode is { } code ? $" ({code})" : "")}";
            await console.Error.WriteLineAsync($"  {status.RawStatus,-10} after {Durations.Format(time.GetElapsedTime(started))}{error}");
        }
    }

    /// <summary>The furthest status reached: read, then delivered (which may follow a failure on another device), then failed, then sent.</summary>
    internal static DeliveryStatus Summarise(IReadOnlyCollection<StatusEvent> history)
    {
        foreach (var status in (ReadOnlySpan<DeliveryStatus>)[DeliveryStatus.Read, DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.Sent])
        {
            if (history.Any(e => e.Status == status))
            {
                return status;
            }
        }

        return DeliveryStatus.Unknown;
    }

    private void DrawLiveLine(DeliveryStatus current, TimeSpan elapsed)
    {
        if (console.LiveProgress)
        {
            var word = current == DeliveryStatus.Unknown ? "accepted" : DeliveryStatusWords.ToWord(current);
            console.Error.Write($"\r\u001b[2K{Spinner[_frame++ % Spinner.Length]} waiting for delivery: {word}, {Durations.Format(elapsed)}");
            console.Error.Flush();
        }
    }

    private void ClearLiveLine()
    {
        if (console.LiveProgress)
        {
            console.Error.Write("\r\u001b[2K");
        }
    }
}
