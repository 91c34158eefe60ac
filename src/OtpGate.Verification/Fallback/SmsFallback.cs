using Microsoft.Extensions.Logging;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Services;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Fallback;

/// <summary>
/// The automatic fallback from WhatsApp to SMS (docs/architecture.md, "SMS fallback"): the same code, queued on the SMS
/// channel in the caller's transaction, when a real signal says WhatsApp will not deliver it: a permanent refusal or
/// failure of the "this number cannot get it" kind (<see cref="FallsBackOn"/>), or no delivered status within the
/// service's deadline. At most one per verification (none once any SMS went), only while its service allows it, and
/// counted in the phone's send limits and its SMS cap; a refusal by a limit is a <c>fallback</c> entry and no SMS.
/// </summary>
public sealed partial class SmsFallback(CodeChannels channels, ServiceCatalog services, VerificationMetrics metrics, ILogger<SmsFallback> logger)
{
    private readonly SendRulesCache _rules = new(services);

    /// <summary>Whether an SMS channel is configured at all: without one nothing here ever runs.</summary>
    public bool Available => channels.HasSms;

    /// <summary>
    /// The failures that send the code by SMS: the number cannot get WhatsApp messages (not a WhatsApp user, 131026; not
    /// opted in). Template, namespace, parameter, authorisation, configuration and request errors are the operator's to
    /// fix: they fail the verification and alert as before, and an SMS would only hide them.
    /// </summary>
    public static bool FallsBackOn(FailureReason reason) => reason == FailureReason.Undeliverable;

    /// <summary>
    /// Queues the verification's current code by SMS, in the caller's transaction, for <paramref name="cause"/>
    /// (<paramref name="words"/> say what happened); true when an SMS was queued. Nothing happens when the verification
    /// is no longer pending, is an SMS one or a test number's, already has an SMS send, or its service turned fallback off.
    /// </summary>
    internal async Task<bool> TryAsync(WriteScope scope, string verificationId, FallbackCause cause, string words, long now)
    {
        if (!channels.HasSms
            || await VerificationStore.FindForUpdateAsync(scope, verificationId) is not { } row
            || row.CurrentStatus() != VerificationStatus.Pending || row.ExpiresAt <= now || row.IsTest == 1 || row.CodeCipher is null
            || row.Channel == CodeChannels.SmsName)
        {
            return false;
        }

        var rules = await _rules.ForAsync(scope, row.ServiceId);
        // One automatic fallback per verification: once an SMS went (a fallback, or one the user asked for), no other.
        if (!rules.Sms.Fallback || await OutboxStore.HasSendOnChannelAsync(scope, row.Id, CodeChannels.SmsName))
        {
            return false;
        }

        var causeName = cause.ToWireName();
        var detail = $"{causeName}: {words}";
        if ((await rules.Limits.CheckSendAsync(scope, row.Phone, now) ?? await SmsCap.CheckAsync(scope, row.Phone, rules.Sms.MaxPerPhonePerDay, now)) is { } refused)
        {
            await Lifecycle.RecordAsync(scope, row.Id, null, TimelineEventKind.Fallback, null, $"{detail}: refused: {refused.Limit}", now);
            var masked = PhoneMasking.Mask(row.Phone);
            LogRefused(logger, row.Id, masked, causeName, refused.Limit);
            return false;
        }

        await Lifecycle.FallBackAsync(scope, row.Id, detail, "the same code by SMS", now);
        await rules.Limits.RecordSendAsync(scope, row.Phone, row.Id, now);
        await SmsCap.RecordAsync(scope, row.Phone, row.Id, now);
        metrics.Fallback(row.ServiceId, causeName);
        var phone = PhoneMasking.Mask(row.Phone);
        LogFallback(logger, row.Id, phone, causeName);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId}: the code goes to {Phone} by SMS ({Cause})")]
    private static partial void LogFallback(ILogger logger, string verificationId, string phone, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId}: no SMS fallback to {Phone} ({Cause}): refused by the limit {Limit}")]
    private static partial void LogRefused(ILogger logger, string verificationId, string phone, string cause, string? limit);
}
