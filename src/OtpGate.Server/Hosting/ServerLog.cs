using Microsoft.Extensions.Logging;

namespace OtpGate.Server.Hosting;

/// <summary>The server's log messages. Phones are masked with PhoneMasking; codes, keys and the webhook secret never appear.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Webhook registered with 1MSG ({UrlCount} URLs on the channel, delivery statuses on)")]
    public static partial void WebhookRegistered(ILogger logger, int urlCount);

    [LoggerMessage(2, LogLevel.Warning, "Registering the webhook with 1MSG failed (attempt {Attempt}); delivery statuses will come from polling until it works: {Error}")]
    public static partial void WebhookRegistrationFailed(ILogger logger, int attempt, string error);

    [LoggerMessage(3, LogLevel.Information, "Webhook received: {Statuses} statuses, {Fresh} new, {Skipped} skipped")]
    public static partial void WebhookReceived(ILogger logger, int statuses, int fresh, int skipped);

    [LoggerMessage(4, LogLevel.Warning, "Webhook body refused: {Reason}")]
    public static partial void WebhookRefused(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Warning, "Webhook call with a wrong secret from {RemoteIp}")]
    public static partial void WebhookWrongSecret(ILogger logger, string? remoteIp);

    [LoggerMessage(6, LogLevel.Error, "Unhandled error on {Method} {Route}")]
    public static partial void Unhandled(ILogger logger, Exception exception, string method, string? route);

    [LoggerMessage(7, LogLevel.Information, "Account {AccountId} created for {Phone}")]
    public static partial void AccountCreated(ILogger logger, string accountId, string phone);

    [LoggerMessage(8, LogLevel.Information, "Sign-up verified for {Phone}, which already has account {AccountId}")]
    public static partial void AccountExisted(ILogger logger, string accountId, string phone);

    [LoggerMessage(9, LogLevel.Warning, "Rate limit hit on {Path} by {Partition}")]
    public static partial void RateLimited(ILogger logger, string path, string partition);

    [LoggerMessage(10, LogLevel.Information, "Webhook registration skipped: {Reason}")]
    public static partial void WebhookRegistrationSkipped(ILogger logger, string reason);

    [LoggerMessage(11, LogLevel.Warning, "Sign-in refused: verification {VerificationId} already signed someone in (a replayed sign-up cookie)")]
    public static partial void SignInReplayed(ILogger logger, string verificationId);
}
