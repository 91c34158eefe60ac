using Microsoft.Extensions.Logging;
using OtpGate.OneMsg.Sending;

namespace OtpGate.OneMsg;

/// <summary>
/// Every log line of the library. Recipients are passed masked (<see cref="RecipientMasking.Mask"/>), message ids as a
/// fingerprint (<see cref="MessageIdMasking"/>); texts from 1MSG go through <see cref="Redactor.ForLog"/>. Codes,
/// tokens and request bodies are never logged.
/// </summary>
internal static partial class OneMsgLog
{
    [LoggerMessage(1, LogLevel.Debug, "1MSG accepted template {Template} for {Recipient} as message {MessageId}")]
    public static partial void SendAccepted(ILogger logger, string template, string recipient, string messageId);

    [LoggerMessage(2, LogLevel.Information, "1MSG queued template {Template} for {Recipient} as job {JobId}")]
    public static partial void SendQueued(ILogger logger, string template, string recipient, string jobId);

    [LoggerMessage(3, LogLevel.Warning, "1MSG refused template {Template} for {Recipient} with sent: false: {Reason}")]
    public static partial void SendRejected(ILogger logger, string template, string recipient, string? reason);

    [LoggerMessage(4, LogLevel.Warning, "Sending template {Template} to {Recipient} failed ({Kind}, HTTP {Status}): {Reason}")]
    public static partial void SendFailed(ILogger logger, string template, string recipient, SendFailureKind kind, int? status, string reason);

    [LoggerMessage(5, LogLevel.Warning, "1MSG call {Operation} failed (HTTP {Status}, transient: {Transient}): {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, int? status, bool transient, string reason);

    [LoggerMessage(6, LogLevel.Information, "Retrying 1MSG call {Operation} in {DelayMs} ms (retry {Retry}) after {Cause}")]
    public static partial void Retrying(ILogger logger, string operation, double delayMs, int retry, string cause);

    [LoggerMessage(7, LogLevel.Debug, "Read {Count} templates from 1MSG in {Pages} page(s)")]
    public static partial void TemplatesRead(ILogger logger, int count, int pages);

    [LoggerMessage(8, LogLevel.Information, "Set the channel's webhook list to {Count} URL(s)")]
    public static partial void WebhookUrlsSet(ILogger logger, int count);

    [LoggerMessage(9, LogLevel.Information, "Updated channel settings: {Fields}")]
    public static partial void SettingsUpdated(ILogger logger, string fields);

    [LoggerMessage(10, LogLevel.Debug, "1MSG {Method} {Operation} answered HTTP {Status} in {ElapsedMs} ms")]
    public static partial void HttpAttempt(ILogger logger, string method, string operation, int status, double elapsedMs);

    [LoggerMessage(11, LogLevel.Debug, "1MSG {Method} {Operation} failed after {ElapsedMs} ms: {ErrorType}: {Error}")]
    public static partial void HttpAttemptFailed(ILogger logger, string method, string operation, double elapsedMs, string errorType, string error);
}
