using System.Text.Json;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Fraud;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>
    /// Starts a verification for <paramref name="owner"/>, or returns the owner's pending one for the same phone and purpose
    /// (resending when its cooldown allows). Another owner's pending verification for the phone is never returned nor
    /// revealed: this start gets its own. The phone's send limits are shared by every owner.
    /// </summary>
    public async Task<StartResult> StartAsync(VerificationOwner owner, StartRequest request, CancellationToken cancellationToken)
    {
        var parsed = request.ParsedPhone is { } number ? PhoneParseResult.Valid(number) : PhoneNumberParser.Parse(request.Phone);
        if (!parsed.IsValid)
        {
            return StartResult.Refuse(new Refused(Refusal.InvalidPhone, parsed.Message));
        }

        if (ChannelRefusal(request.Channel) is { } badChannel)
        {
            return StartResult.Refuse(badChannel);
        }

        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        // The owner's service as this transaction sees it: a change committed on any instance applies from here on.
        if (await RulesAsync(scope, owner.Service) is not { } rules)
        {
            return StartResult.Refuse(NoSuchService(owner));
        }

        if (ReadStart(owner, request, parsed.Number, rules, out var start) is { } invalid)
        {
            return StartResult.Refuse(invalid);
        }

        if (start.Idempotency is { } idempotency)
        {
            // Requests with the same key take turns, so a retry racing its original cannot start a second verification.
            await LimitStore.LockAsync(scope, idempotency.LockScope);
        }

        // Starts for one phone take turns across instances, so "one live verification per owner and phone" needs no retry.
        await LimitStore.LockAsync(scope, LimitScopes.PhoneTurn(start.Phone.Digits));
        if (await FindEarlierAnswerAsync(scope, owner, rules, start, now, request.CustomCode, request.RefuseUnsentRepeat, request.Channel == CodeChannels.SmsName) is { } answer)
        {
            if (answer.Verification is not null)
            {
                await scope.CommitAsync(cancellationToken);
            }

            return answer;
        }

        var bySms = request.Channel == CodeChannels.SmsName;
        if (!start.IsTest && (await rules.Limits.CheckStartAsync(scope, start.ClientIp, now) ?? await rules.Limits.CheckSendAsync(scope, start.Phone.Digits, now)
            ?? (bySms ? await SmsCap.CheckAsync(scope, start.Phone.Digits, rules.Options.Sms.MaxPerPhonePerDay, now) : null)) is { } refusal)
        {
            LogStartRefused(_logger, start.Phone.Masked, refusal.Limit);
            return StartResult.Refuse(refusal);
        }

        var fraud = start.IsTest ? default : await _fraud.CheckAsync(scope, start.Phone, now);
        if (fraud.Refusal is { } suspected)
        {
            if (fraud.Blocked)
            {
                await scope.CommitAsync(cancellationToken); // keeps the block the guard just made; any other refusal writes nothing
            }

            return StartResult.Refuse(suspected);
        }

        var row = NewVerification(owner, rules, request, start, now);
        if (!start.IsTest && await _spend.CheckAsync(scope, owner.Service, rules.Service.Settings.Spend, row.Channel, row.Region, now) is { } overBudget)
        {
            LogStartRefused(_logger, start.Phone.Masked, overBudget.Limit);
            return StartResult.Refuse(overBudget);
        }

        await Lifecycle.CreateAsync(scope, row, now);
        if (!start.IsTest)
        {
            await LimitPolicy.RecordStartAsync(scope, start.ClientIp, row.Id, now);
            await rules.Limits.RecordSendAsync(scope, start.Phone.Digits, row.Id, now);
            if (bySms)
            {
                await SmsCap.RecordAsync(scope, start.Phone.Digits, row.Id, now);
            }
            FraudGuard.CountStart(scope, fraud, start.Phone, now);
        }

        await IdempotencyKeys.RememberAsync(scope, start.Idempotency, row.Id, now);
        await scope.CommitAsync(cancellationToken);
        _metrics.Started(owner.Service);
        LogStarted(_logger, row.Id, start.Phone.Masked, start.IsTest);
        return StartResult.Started(CreatedSnapshot(row, rules, now), created: true);
    }

    /// <summary>Why the start's channel cannot be used (not one of ours, or SMS without an SMS channel); null when it can.</summary>
    private Refused? ChannelRefusal(string? channel) =>
        channel is null || channel == _channels.Default.Name ? null
        : channel != CodeChannels.SmsName ? new Refused(Refusal.InvalidRequest, $"channel must be \"{_channels.Default.Name}\" (the default) or \"{CodeChannels.SmsName}\".")
        : !_channels.HasSms ? new Refused(Refusal.ChannelUnavailable, "Codes cannot be sent by SMS here: no SMS channel is configured.")
        : null;

    /// <summary>The request read and checked against the service: the country allowed, the fields valid; or why not.</summary>
    private static Refused? ReadStart(VerificationOwner owner, StartRequest request, PhoneNumber phone, ServiceRules rules, out StartInput start)
    {
        start = null!;
        if (!rules.IsCountryAllowed(phone.RegionCode))
        {
            // Generic on purpose: the refusal does not list which countries the operator serves.
            return new Refused(Refusal.CountryNotAllowed, "Verification codes cannot be sent to numbers of this country.");
        }

        if (StartInput.Validate(request) is { } invalid)
        {
            return invalid;
        }

        if (request.CustomCode is { } custom && !(rules.Service.Settings.CustomCodeEnabled && custom.Length == rules.Options.CodeLength && custom.All(char.IsAsciiDigit)))
        {
            return new Refused(Refusal.InvalidRequest, rules.Service.Settings.CustomCodeEnabled
                ? $"A custom code must be {rules.Options.CodeLength} digits, the service's code length."
                : "This service does not take custom codes.");
        }

        var purpose = StartInput.PurposeOf(request);
        var locale = StartInput.LocaleOf(request);
        var clientIp = StartInput.NormalizeIp(request.ClientIp);
        var idempotency = request.IdempotencyKey is { Length: > 0 } key
            ? new IdempotencyKeys.Key(owner, key, IdempotencyKeys.HashRequest(phone.Digits, purpose, locale, request.ClientRef, clientIp, request.Metadata,
                request.Channel == CodeChannels.SmsName ? CodeChannels.SmsName : null))
            : null;
        start = new StartInput(phone, purpose, locale, clientIp, rules.TestCodes.GetValueOrDefault(phone.Digits), idempotency);
        return null;
    }

    /// <summary>
    /// The answer an earlier request already settled, or null to create a verification: the same Idempotency-Key's
    /// verification (or a refusal when the key came with another request), or the owner's pending one for the phone
    /// and purpose, resent when its cooldown allows. Expired ones for the phone are ended first.
    /// </summary>
    private async Task<StartResult?> FindEarlierAnswerAsync(
        WriteScope scope, VerificationOwner owner, ServiceRules rules, StartInput start, long now, string? customCode, bool refuseUnsent, bool bySms)
    {
        if (start.Idempotency is { } idempotency && await IdempotencyKeys.FindAsync(scope, idempotency, now - Ms(_options.IdempotencyWindow)) is { } earlier)
        {
            if (earlier.RequestHash != idempotency.RequestHash)
            {
                return StartResult.Refuse(new Refused(Refusal.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request in the last 24 hours; send a new key for a new request."));
            }

            if (await ReadSnapshotAsync(scope, owner, earlier.VerificationId, rules) is { } replay)
            {
                return StartResult.Started(replay, created: false);
            }
        }

        await Lifecycle.ExpireDueAsync(scope, now, start.Phone.Digits, start.Purpose);
        if (await VerificationStore.FindPendingAsync(scope, owner, start.Phone.Digits, start.Purpose) is not { } pending)
        {
            return null;
        }

        // One live verification per owner, phone and purpose: return it, resending when its cooldown allows; a start that
        // asks for SMS moves a WhatsApp one to SMS, as a resend by SMS would (where the service lets codes go by SMS).
        var switchToSms = bySms && pending.Channel != CodeChannels.SmsName && SmsUnavailable(rules) is null;
        if (pending.IsTest == 0
            && await TryResendAsync(scope, pending, rules, now, quiet: true, customCode, switchToSms) is { Reason: Refusal.RateLimited or Refusal.Cooldown or Refusal.SpendCapReached } unsent
            && refuseUnsent)
        {
            return StartResult.Refuse(unsent);
        }

        await IdempotencyKeys.RememberAsync(scope, start.Idempotency, pending.Id, now);
        return StartResult.Started((await ReadSnapshotAsync(scope, owner, pending.Id, rules))!, created: false);
    }

    /// <summary>A new pending verification with a fresh code (a test number's fixed one), not written yet.</summary>
    private VerificationRow NewVerification(VerificationOwner owner, ServiceRules rules, StartRequest request, StartInput start, long now)
    {
        var id = NewId();
        var protectedCode = _protector.Protect(id, start.TestCode ?? request.CustomCode ?? CodeProtector.Generate(rules.Options.CodeLength));
        return new VerificationRow
        {
            Id = id, Owner = owner.Value, ServiceId = owner.Service, Phone = start.Phone.Digits, Region = start.Phone.RegionCode, Purpose = start.Purpose, Locale = start.Locale, Channel = request.Channel ?? _channels.Default.Name,
            ClientRef = request.ClientRef, ClientIp = start.ClientIp,
            Metadata = request.Metadata is { Count: > 0 } m ? JsonSerializer.Serialize(m, VerificationJson.Default.IReadOnlyDictionaryStringString) : null,
            IsTest = start.IsTest ? 1 : 0, Status = VerificationStatus.Pending.ToWireName(),
            // A test number's code is never sent, so it is never kept in a form that could be.
            CodeKeyId = protectedCode.KeyId, CodeMac = protectedCode.Mac, CodeCipher = start.IsTest ? null : protectedCode.Cipher,
            ExpiresAt = now + Ms(rules.Options.CodeLifetime), MaxAttempts = rules.Options.MaxAttempts,
            SendCount = start.IsTest ? 0 : 1, NextResendAt = now + Ms(rules.CooldownAfter(1)), CreatedAt = now, UpdatedAt = now, FreshCode = start.IsTest ? 0 : 1,
        };
    }

    /// <summary>What <see cref="Lifecycle.CreateAsync"/> just wrote, without reading it back: the row, its first send and its entries.</summary>
    private VerificationSnapshot CreatedSnapshot(VerificationRow row, ServiceRules rules, long now)
    {
        var created = Time(now);
        var isTest = row.IsTest == 1;
        TimelineEntry createdEvent = new(created, TimelineEventKind.Created.ToWireName(), VerificationStatus.Pending.ToWireName(), isTest ? Lifecycle.TestNumberDetail : null, null);
        return ToSnapshot(row, rules,
            isTest ? [] : [new SendSnapshot(1, SendReason.Start.ToWireName(), row.Channel, SendStatus.Queued.ToWireName(), null, null, null, created, null, null)],
            isTest ? [createdEvent] : [createdEvent, new TimelineEntry(created, TimelineEventKind.SendQueued.ToWireName(), SendStatus.Queued.ToWireName(), null, 1)]);
    }
}
