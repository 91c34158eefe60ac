using Microsoft.Extensions.Logging;
using OtpGate.OneMsg.Sending;

namespace OtpGate.Sandbox;

/// <summary>
/// The sandbox's log messages. Phones are masked and message ids cut to a fingerprint with OtpGate.OneMsg's helpers, as in
/// the server (a "test" number may be a real person's, and a message id encodes it); codes and tokens never appear.
/// </summary>
internal static partial class SandboxLog
{
    [LoggerMessage(1, LogLevel.Information, "Sandbox accepted message {MessageId} for {Phone} (template {Template}/{Language})")]
    private static partial void LogAccepted(ILogger logger, string messageId, string phone, string template, string language);

    public static void Accepted(ILogger logger, string messageId, string phone, string template, string language)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            LogAccepted(logger, MessageIdMasking.Fingerprint(messageId), RecipientMasking.Mask(phone), template, language);
        }
    }

    [LoggerMessage(2, LogLevel.Information, "Sandbox refused a sendTemplate with HTTP {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Webhook callback to {Url} failed (attempt {Attempt}): {Error}")]
    public static partial void CallbackFailed(ILogger logger, string url, int attempt, string error);

    [LoggerMessage(4, LogLevel.Warning, "Webhook {Url} disabled after {Failures} failed attempts in a row; set the webhook list again to re-enable it")]
    public static partial void WebhookDisabled(ILogger logger, string url, int failures);

    [LoggerMessage(5, LogLevel.Error, "The sandbox delivery worker failed a pass")]
    public static partial void PassFailed(ILogger logger, Exception exception);

    [LoggerMessage(6, LogLevel.Warning, "Webhook {Url} already has {Max} callback events waiting; new events for it are dropped until it catches up")]
    public static partial void CallbackDropped(ILogger logger, string url, int max);

    [LoggerMessage(7, LogLevel.Error, "Webhook callback to {Url} failed unexpectedly")]
    public static partial void CallbackCrashed(ILogger logger, string url, Exception exception);

    [LoggerMessage(8, LogLevel.Information, "Sandbox refused {Path} to {RemoteAddress}: it answers this machine only unless Sandbox:AllowRemoteAccess=true")]
    public static partial void RemoteRefused(ILogger logger, string path, string remoteAddress);

    [LoggerMessage(9, LogLevel.Warning, "Sandbox messages cannot be kept in {Folder} ({Error}); they live in memory only, and a restart empties the inbox")]
    public static partial void MessagesNotStored(ILogger logger, string folder, string error);

    [LoggerMessage(10, LogLevel.Warning, "Sandbox messages cannot be written to disk ({Error}); the inbox keeps them in memory and the file is rewritten whole once writing works again")]
    public static partial void MessagesWriteFailed(ILogger logger, string error);

    [LoggerMessage(11, LogLevel.Information, "Sandbox messages are written to disk again")]
    public static partial void MessagesWrittenAgain(ILogger logger);
}
