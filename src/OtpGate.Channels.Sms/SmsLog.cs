using Microsoft.Extensions.Logging;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms;

/// <summary>The SMS channel's log lines: masked numbers, Twilio's message sids (no number in them), never a code, text or token.</summary>
internal static partial class SmsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "SMS to {Phone} accepted by Twilio as {MessageSid}")]
    public static partial void Accepted(ILogger logger, string phone, string messageSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS to {Phone} refused by Twilio ({Reason}): {Detail}")]
    public static partial void Rejected(ILogger logger, string phone, FailureReason reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS to {Phone} not sent, to be tried again: {Why}")]
    public static partial void RetryLater(ILogger logger, string phone, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS to {Phone}: outcome unknown, it may or may not have been sent: {Detail}")]
    public static partial void Unknown(ILogger logger, string phone, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twilio {Method} {Resource}: HTTP {Status} in {ElapsedMs} ms")]
    public static partial void HttpAttempt(ILogger logger, string method, string resource, int status, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twilio {Method} {Resource} failed after {ElapsedMs} ms: {ErrorType}")]
    public static partial void HttpAttemptFailed(ILogger logger, string method, string resource, double elapsedMs, string errorType);
}
