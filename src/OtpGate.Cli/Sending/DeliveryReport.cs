using OtpGate.Cli.Output;
using OtpGate.OneMsg.Webhooks;

namespace OtpGate.Cli.Sending;

/// <summary>How <c>send --wait</c> ended: the furthest status, whether it counts as success, and the statuses seen.</summary>
internal sealed record DeliveryReport(string Status, bool Succeeded, bool TimedOut, double ElapsedSeconds, IReadOnlyList<StatusJson> History)
{
    private TimeSpan Timeout { get; init; }

    public static DeliveryReport From(DeliveryStatus status, IReadOnlyList<StatusEvent> history, bool timedOut, TimeSpan elapsed, TimeSpan timeout)
    {
        var word = status == DeliveryStatus.Unknown ? "accepted" : DeliveryStatusWords.ToWord(status);
        var succeeded = status is DeliveryStatus.Delivered or DeliveryStatus.Read;
        return new DeliveryReport(word, succeeded, timedOut, Math.Round(elapsed.TotalSeconds, 1), [.. history.Select(StatusJson.From)])
        {
            Timeout = timeout,
        };
    }

    public string Describe(Style style) => Succeeded
        ? style.Green(Status) + $" after {ElapsedSeconds:0.0} s"
        : TimedOut ? style.Yellow($"still {Status}") + $" after {ElapsedSeconds:0.0} s (timed out)" : style.Red(Status) + FailureDetail();

    /// <summary>The sentence for standard error when delivery failed or was not confirmed in time.</summary>
    public string Sentence(string messageId) => TimedOut
        ? $"Delivery was not confirmed within {Durations.Format(Timeout)}; the last status 1MSG reported is \"{Status}\". WhatsApp may still deliver it: check later with `otpgate hook-info {messageId}`."
        : $"WhatsApp could not deliver the message{FailureDetail()}. {Advice()}";

    private string FailureDetail() =>
        History.LastOrDefault(h => h.Status == "failed") is { } failed && failed.Error is not null
            ? $": {failed.Error.TrimEnd('.')}{(failed.ErrorCode is { } code ? $" (error {code})" : "")}"
            : "";

    private string Advice() => History.Any(h => h.ErrorCode == 131026)
        ? "WhatsApp reports 131026 when the number has no WhatsApp account or the phone stayed unreachable until the message expired; check the number or offer another way to verify."
        : "Check the number and the template, then try again.";
}

/// <summary>One status in JSON output.</summary>
internal sealed record StatusJson(string Status, DateTimeOffset? Timestamp, string? Recipient, string? Error, int? ErrorCode)
{
    public static StatusJson From(StatusEvent e) => new(e.RawStatus.ToLowerInvariant(), e.Timestamp, e.Recipient, e.ErrorText, e.ErrorCode);
}
