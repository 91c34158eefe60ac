using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Telemetry;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// The verification lifecycle: start, check, resend, cancel, read. Each operation is one write transaction;
/// the send it causes is a job in the same transaction (outbox), sent later by <see cref="OutboxDispatcher"/>.
/// </summary>
public sealed partial class VerificationService
{
    private readonly Database _database;
    private readonly CodeProtector _protector;
    private readonly VerificationOptions _options;
    private readonly LimitPolicy _limits;
    private readonly VerificationMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<VerificationService> _logger;
    private readonly Dictionary<string, string> _testCodes;
    private readonly CodeChannels _channels;

    public VerificationService(Database database, CodeProtector protector, IOptions<VerificationOptions> options,
        VerificationMetrics metrics, TimeProvider time, ILogger<VerificationService> logger, CodeChannels channels)
    {
        _database = database;
        _channels = channels;
        _protector = protector;
        _options = options.Value;
        _limits = new LimitPolicy(_options);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _testCodes = _options.TestNumbers
            .Select(pair => (Number: PhoneNumberParser.Parse(pair.Key), Code: pair.Value))
            .Where(pair => pair.Number.IsValid)
            .ToDictionary(pair => pair.Number.Number!.Digits, pair => pair.Code);
    }

    public const string DefaultPurpose = "registration";
    public const string DefaultLocale = "en";

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

        var phone = parsed.Number;
        if (!IsCountryAllowed(phone.RegionCode))
        {
            // Generic on purpose: the refusal does not list which countries the operator serves.
            return StartResult.Refuse(new Refused(Refusal.CountryNotAllowed, "Verification codes cannot be sent to numbers of this country."));
        }

        if (ValidateStartFields(request) is { } invalid)
        {
            return StartResult.Refuse(invalid);
        }

        var purpose = string.IsNullOrWhiteSpace(request.Purpose) ? DefaultPurpose : request.Purpose.Trim();
        var locale = string.IsNullOrWhiteSpace(request.Locale) ? DefaultLocale : request.Locale.Trim();
        var clientIp = NormalizeIp(request.ClientIp);
        var now = Now();
        var isTest = _testCodes.TryGetValue(phone.Digits, out var testCode);

        var idempotency = request.IdempotencyKey is { Length: > 0 } key
            ? new IdempotencyKeys.Key(owner, key, IdempotencyKeys.HashRequest(phone.Digits, purpose, locale, request.ClientRef, clientIp, request.Metadata))
            : null;
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        if (idempotency is not null)
        {
            // Requests with the same key take turns, so a retry racing its original cannot start a second verification.
            await LimitStore.LockAsync(scope, idempotency.LockScope);
        }

        // Starts for one phone take turns across instances, so "one live verification per owner and phone" needs no retry.
        await LimitStore.LockAsync(scope, "phone:" + phone.Digits);
        if (idempotency is not null && await IdempotencyKeys.FindAsync(scope, idempotency, now - Ms(_options.IdempotencyWindow)) is { } earlier)
        {
            if (earlier.RequestHash != idempotency.RequestHash)
            {
                return StartResult.Refuse(new Refused(Refusal.IdempotencyKeyReused,
                    "This Idempotency-Key was already used with a different request in the last 24 hours; send a new key for a new request."));
            }

            if (await ReadSnapshotAsync(scope, owner, earlier.VerificationId) is { } replay)
            {
                await scope.CommitAsync(cancellationToken);
                return StartResult.Started(replay, created: false);
            }
        }

        _metrics.Expired((await Lifecycle.ExpireDueAsync(scope, now, phone.Digits, purpose)).Count);
        if (await VerificationStore.FindPendingAsync(scope, owner, phone.Digits, purpose) is { } pending)
        {
            // One live verification per owner, phone and purpose: return it, resending when its cooldown allows.
            if (pending.IsTest == 0)
            {
                await TryResendAsync(scope, pending, now, quiet: true);
            }

            await IdempotencyKeys.RememberAsync(scope, idempotency, pending.Id, now);
            var existing = (await ReadSnapshotAsync(scope, owner, pending.Id))!;
            await scope.CommitAsync(cancellationToken);
            return StartResult.Started(existing, created: false);
        }

        if (!isTest && (await _limits.CheckStartAsync(scope, clientIp, now) ?? await _limits.CheckSendAsync(scope, phone.Digits, now)) is { } refusal)
        {
            LogStartRefused(_logger, phone.Masked, refusal.Limit);
            return StartResult.Refuse(refusal);
        }

        var id = NewId();
        var code = isTest ? testCode! : CodeProtector.Generate(_options.CodeLength);
        var protectedCode = _protector.Protect(id, code);
        var row = new VerificationRow
        {
            Id = id, Owner = owner.Value, Phone = phone.Digits, Region = phone.RegionCode, Purpose = purpose, Locale = locale, Channel = _channels.Default.Name,
            ClientRef = request.ClientRef, ClientIp = clientIp,
            Metadata = request.Metadata is { Count: > 0 } m ? JsonSerializer.Serialize(m, VerificationJson.Default.IReadOnlyDictionaryStringString) : null,
            IsTest = isTest ? 1 : 0, Status = StatusNames.Pending,
            CodeKeyId = protectedCode.KeyId, CodeMac = protectedCode.Mac, CodeCipher = isTest ? null : protectedCode.Cipher,
            ExpiresAt = now + Ms(_options.CodeLifetime), MaxAttempts = _options.MaxAttempts,
            SendCount = isTest ? 0 : 1, NextResendAt = now + Ms(CooldownAfter(1)), CreatedAt = now, UpdatedAt = now, FreshCode = isTest ? 0 : 1,
        };
        var createdDetail = isTest ? "test number: no message is sent" : null;
        await VerificationStore.InsertAsync(scope, row);
        await VerificationStore.AddEventAsync(scope, id, null, "created", StatusNames.Pending, createdDetail, now);
        if (!isTest)
        {
            await Lifecycle.EnqueueSendAsync(scope, id, SendReason.Start, now, now);
            await LimitPolicy.RecordStartAsync(scope, clientIp, id, now);
            await _limits.RecordSendAsync(scope, phone.Digits, id, now);
        }

        await IdempotencyKeys.RememberAsync(scope, idempotency, id, now);
        await scope.CommitAsync(cancellationToken);
        _metrics.Started();
        LogStarted(_logger, id, phone.Masked, isTest);
        // What was just written, without reading it back: the row, its first send and the two events above.
        var created = Time(now);
        TimelineEntry createdEvent = new(created, "created", StatusNames.Pending, createdDetail, null);
        return StartResult.Started(ToSnapshot(row,
            isTest ? [] : [new SendSnapshot(1, SendReason.Start.ToWire(), Delivery.SendStatus.Queued.ToWire(), null, null, null, created, null, null)],
            isTest ? [createdEvent] : [createdEvent, new TimelineEntry(created, "send_queued", Delivery.SendStatus.Queued.ToWire(), null, 1)]), created: true);
    }

    public async Task<OperationResult> ResendAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var row = await VerificationStore.FindForUpdateAsync(scope, owner, id);
        if (row is null)
        {
            return NotFound();
        }

        if (await EndIfExpiredAsync(scope, row, now) || row.Status != StatusNames.Pending)
        {
            var ended = await ReadSnapshotAsync(scope, owner, id);
            await scope.CommitAsync(cancellationToken);
            return OperationResult.Refuse(RefusalForEnded(row.Status) with { Verification = ended });
        }

        if (row.IsTest == 1)
        {
            // Test numbers never send; a resend is a success with nothing to do.
            return OperationResult.Ok((await ReadSnapshotAsync(scope, owner, id))!);
        }

        var refusal = await TryResendAsync(scope, row, now, quiet: false);
        if (refusal is not null)
        {
            return OperationResult.Refuse(refusal with { Verification = await ReadSnapshotAsync(scope, owner, id) });
        }

        var resent = (await ReadSnapshotAsync(scope, owner, id))!;
        await scope.CommitAsync(cancellationToken);
        return OperationResult.Ok(resent);
    }

    public async Task<OperationResult> CancelAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var row = await VerificationStore.FindForUpdateAsync(scope, owner, id);
        if (row is null)
        {
            return NotFound();
        }

        if (await EndIfExpiredAsync(scope, row, now) || !await Lifecycle.EndAsync(scope, id, StatusNames.Canceled, null, now))
        {
            var ended = await ReadSnapshotAsync(scope, owner, id);
            await scope.CommitAsync(cancellationToken);
            return OperationResult.Refuse(RefusalForEnded(row.Status) with { Verification = ended });
        }

        var canceled = (await ReadSnapshotAsync(scope, owner, id))!;
        await scope.CommitAsync(cancellationToken);
        return OperationResult.Ok(canceled);
    }

    /// <summary>
    /// Resends within the caller's transaction: same code while enough lifetime remains, else a new code with a new
    /// lifetime (the attempt count is kept). Returns the refusal, or null when a send was queued.
    /// </summary>
    private async Task<Refused?> TryResendAsync(WriteScope scope, VerificationRow row, long now, bool quiet)
    {
        if (row.SendCount >= _options.MaxSendsPerVerification)
        {
            return new Refused(Refusal.RateLimited, $"This verification has sent its {_options.MaxSendsPerVerification} codes; start a new one after it expires.",
                LimitNames.VerificationSends, TimeSpan.FromMilliseconds(Math.Max(1000, row.ExpiresAt - now)));
        }

        if (row.NextResendAt > now)
        {
            var wait = row.NextResendAt - now;
            return new Refused(Refusal.Cooldown, $"A code was sent moments ago; you can ask for another in {LimitPolicy.Describe(wait)}.", null, TimeSpan.FromMilliseconds(Math.Max(1000, wait)));
        }

        if (await _limits.CheckSendAsync(scope, row.Phone, now) is { } limited)
        {
            return limited;
        }

        var newCode = row.ExpiresAt - now < Ms(_options.SameCodeMinRemaining);
        if (newCode)
        {
            var code = CodeProtector.Generate(_options.CodeLength);
            var protectedCode = _protector.Protect(row.Id, code);
            await VerificationStore.UpdateCodeAsync(scope, row.Id, protectedCode.KeyId, protectedCode.Mac, protectedCode.Cipher, now + Ms(_options.CodeLifetime), now);
        }

        var sends = (int)row.SendCount + 1;
        await VerificationStore.RecordSendAsync(scope, row.Id, now + Ms(CooldownAfter(sends)), now);
        await Lifecycle.EnqueueSendAsync(scope, row.Id, SendReason.Resend, now, now, newCode ? "resend with a new code" : "resend with the same code");
        await _limits.RecordSendAsync(scope, row.Phone, row.Id, now);
        if (!quiet)
        {
            LogResent(_logger, row.Id, newCode);
        }

        return null;
    }

    private TimeSpan CooldownAfter(int sends) => _options.ResendCooldown * Math.Pow(2, Math.Max(0, sends - 1));

    private async Task<bool> EndIfExpiredAsync(WriteScope scope, VerificationRow row, long now)
    {
        if (row.Status != StatusNames.Pending || row.ExpiresAt > now)
        {
            return false;
        }

        if (await Lifecycle.EndAsync(scope, row.Id, StatusNames.Expired, null, now))
        {
            _metrics.Expired(1);
        }

        row.Status = StatusNames.Expired;
        return true;
    }

    private bool IsCountryAllowed(string region) =>
        !_options.DeniedCountries.Contains(region, StringComparer.OrdinalIgnoreCase)
        && (_options.AllowedCountries.Count == 0 || _options.AllowedCountries.Contains(region, StringComparer.OrdinalIgnoreCase));

    private static Refused? ValidateStartFields(StartRequest request)
    {
        static bool Bad(string? value, int max) => value is not null && (value.Length > max || value.Any(char.IsControl));
        if (Bad(request.Purpose, 64) || (request.Purpose is { Length: > 0 } p && !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            return new Refused(Refusal.InvalidRequest, "purpose must be at most 64 letters, digits, '_', '-' or '.', e.g. \"registration\".");
        }

        if (Bad(request.Locale, 16) || (request.Locale is { Length: > 0 } l && !l.All(c => char.IsAsciiLetter(c) || c is '_' or '-')))
        {
            return new Refused(Refusal.InvalidRequest, "locale must be a language code such as \"en\" or \"pt_BR\".");
        }

        if (Bad(request.ClientRef, 128))
        {
            return new Refused(Refusal.InvalidRequest, "clientRef must be at most 128 characters.");
        }

        if (request.ClientIp is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
        {
            return new Refused(Refusal.InvalidRequest, "clientIp must be an IPv4 or IPv6 address, e.g. \"203.0.113.7\".");
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > 255 || key.Any(char.IsControl)))
        {
            return new Refused(Refusal.InvalidRequest, "The Idempotency-Key must be 1 to 255 printable characters.");
        }

        if (request.Metadata is { } metadata && (metadata.Count > 16 || metadata.Any(pair => Bad(pair.Key, 64) || Bad(pair.Value, 256))))
        {
            return new Refused(Refusal.InvalidRequest, "metadata may hold at most 16 entries, with keys up to 64 and values up to 256 characters.");
        }

        return null;
    }

    private static string? NormalizeIp(string? ip) =>
        ip is { Length: > 0 } && IPAddress.TryParse(ip, out var address)
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;

    /// <summary>"vf_" and 128 random bits, base64url: unguessable and safe in URLs.</summary>
    private static string NewId() => "vf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    internal static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    private static OperationResult NotFound() => OperationResult.Refuse(new Refused(Refusal.NotFound, "No verification has this id."));

    internal static Refused RefusalForEnded(string status) => status switch
    {
        StatusNames.Approved => new Refused(Refusal.AlreadyApproved, "This verification was already approved."),
        StatusNames.Expired => new Refused(Refusal.Expired, "The code has expired; start a new verification."),
        StatusNames.MaxAttemptsReached => new Refused(Refusal.MaxAttemptsReached, "Too many wrong codes were entered; start a new verification."),
        StatusNames.Canceled => new Refused(Refusal.Canceled, "This verification was canceled."),
        StatusNames.Failed => new Refused(Refusal.Failed, "The code could not be delivered; start a new verification."),
        _ => new Refused(Refusal.NotFound, "No verification has this id."),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} started for {Phone} (test number: {IsTest})")]
    private static partial void LogStarted(ILogger logger, string verificationId, string phone, bool isTest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Start refused for {Phone}: limit {Limit}")]
    private static partial void LogStartRefused(ILogger logger, string phone, string? limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} resent (new code: {NewCode})")]
    private static partial void LogResent(ILogger logger, string verificationId, bool newCode);

    // Routine outcomes at Debug: each console line costs the server throughput, and the timeline and the
    // otpgate_checks metric keep them. A check that used the last attempt or was turned away stays at Information.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Verification {VerificationId} checked: {Outcome}")]
    private static partial void LogChecked(ILogger logger, string verificationId, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} checked: {Outcome}")]
    private static partial void LogCheckedNotably(ILogger logger, string verificationId, string outcome);
}
