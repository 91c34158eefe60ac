using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>
    /// Sends the code again, when the verification's cooldown, its send count and the phone's limits allow: through its
    /// own channel, or by SMS when <paramref name="channel"/> is <c>sms</c> (the user asked for it: the fallback cause
    /// <c>user_request</c>; also within the SMS cap, and only where an SMS channel is configured and the service allows it).
    /// </summary>
    public async Task<OperationResult> ResendAsync(VerificationOwner owner, string id, CancellationToken cancellationToken, string? channel = null)
    {
        if (channel is not null && channel != CodeChannels.SmsName && channel != _channels.Default.Name)
        {
            return OperationResult.Refuse(new Refused(Refusal.InvalidRequest, $"channel must be \"{_channels.Default.Name}\" or \"{CodeChannels.SmsName}\"."));
        }

        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var (row, answer) = await FindPendingAsync(scope, owner, id, now, cancellationToken);
        if (row is null)
        {
            return answer!;
        }

        if (row.IsTest == 1)
        {
            // Test numbers never send; a resend is a success with nothing to do.
            return OperationResult.Ok((await ReadSnapshotAsync(scope, owner, id))!);
        }

        var rules = await RulesForReadingAsync(scope.Connection, scope.Transaction, row.ServiceId);
        var bySms = channel == CodeChannels.SmsName && row.Channel != CodeChannels.SmsName;
        if (bySms && SmsUnavailable(rules) is { } unavailable)
        {
            return OperationResult.Refuse(unavailable with { Verification = await ReadSnapshotAsync(scope, owner, id, rules) });
        }

        var refusal = await TryResendAsync(scope, row, rules, now, quiet: false, bySms: bySms);
        if (refusal is not null)
        {
            return OperationResult.Refuse(refusal with { Verification = await ReadSnapshotAsync(scope, owner, id, rules) });
        }

        var resent = (await ReadSnapshotAsync(scope, owner, id, rules))!;
        await scope.CommitAsync(cancellationToken);
        if (bySms)
        {
            _metrics.Fallback(row.ServiceId, FallbackCause.UserRequest.ToWireName());
        }

        return OperationResult.Ok(resent);
    }

    /// <summary>Why a code cannot go by SMS for this service: no SMS channel configured, or the service turned SMS off; null when it can.</summary>
    private Refused? SmsUnavailable(ServiceRules rules) =>
        !_channels.HasSms ? new Refused(Refusal.ChannelUnavailable, "Codes cannot be sent by SMS here: no SMS channel is configured.")
        : !rules.Options.Sms.Fallback ? new Refused(Refusal.ChannelUnavailable, "This service does not send codes by SMS (its Sms:Fallback setting is off).")
        : null;

    /// <summary>
    /// Resends within the caller's transaction: same code while enough lifetime remains, else a new code with a new
    /// lifetime (the attempt count is kept; <paramref name="customCode"/>, when the caller brings its own, is that new
    /// code). <paramref name="bySms"/>: by SMS at the user's request. Returns the refusal, or null when a send was queued.
    /// </summary>
    private async Task<Refused?> TryResendAsync(WriteScope scope, VerificationRow row, ServiceRules rules, long now, bool quiet, string? customCode = null, bool bySms = false)
    {
        if (row.SendCount >= rules.Options.MaxSendsPerVerification)
        {
            return new Refused(Refusal.RateLimited, $"This verification has sent its {rules.Options.MaxSendsPerVerification} codes; start a new one after it expires.",
                LimitNames.VerificationSends, TimeSpan.FromMilliseconds(Math.Max(1000, row.ExpiresAt - now)));
        }

        // The first SMS the user asks for is a change of channel, not a repeat: it does not wait out the cooldown
        // (the SMS cap and the phone's limits still hold), so "Send by SMS instead" works as soon as it is offered.
        var changesChannel = bySms && !await OutboxStore.HasSendOnChannelAsync(scope, row.Id, CodeChannels.SmsName);
        if (row.NextResendAt > now && !changesChannel)
        {
            var wait = row.NextResendAt - now;
            return new Refused(Refusal.Cooldown, $"A code was sent moments ago; you can ask for another in {LimitPolicy.Describe(wait)}.", null, TimeSpan.FromMilliseconds(Math.Max(1000, wait)));
        }

        var sms = bySms || row.Channel == CodeChannels.SmsName;
        if ((await rules.Limits.CheckSendAsync(scope, row.Phone, now)
                ?? (sms ? await SmsCap.CheckAsync(scope, row.Phone, rules.Options.Sms.MaxPerPhonePerDay, now) : null)
                ?? await _spend.CheckAsync(scope, row.ServiceId, rules.Service.Settings.Spend, sms ? CodeChannels.SmsName : row.Channel, row.Region, now)) is { } limited)
        {
            return limited;
        }

        // The same code while enough of its lifetime remains for the user to type it; else a new one.
        var newCode = row.ExpiresAt - now < Ms(rules.Options.SameCodeMinRemaining)
            ? _protector.Protect(row.Id, customCode ?? CodeProtector.Generate(rules.Options.CodeLength))
            : null;
        await Lifecycle.ResendAsync(scope, row.Id, newCode, now + Ms(rules.Options.CodeLifetime), now + Ms(rules.CooldownAfter((int)row.SendCount + 1)), now, bySms);
        await rules.Limits.RecordSendAsync(scope, row.Phone, row.Id, now);
        if (sms)
        {
            await SmsCap.RecordAsync(scope, row.Phone, row.Id, now);
        }

        if (!quiet)
        {
            LogResent(_logger, row.Id, newCode is not null);
        }

        return null;
    }
}
