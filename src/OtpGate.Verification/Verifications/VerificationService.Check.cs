using System.Globalization;
using System.Text;
using System.Text.Json;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    private const int MaxCodeInputLength = 32;

    /// <summary>
    /// Checks a code for the verification's owner (to anyone else it does not exist). The attempt is taken in one
    /// statement before the comparison, so exactly <see cref="VerificationOptions.MaxAttempts"/> comparisons ever happen,
    /// whatever the concurrency. Past the phone's failed-check cap, or during the starter's growing delay, only the
    /// first comparison of a fresh code is made; every other check is refused without comparing, so a right code there
    /// gets the same answer as a wrong one. A code is accepted once.
    /// </summary>
    public async Task<OperationResult> CheckAsync(VerificationOwner owner, string id, string? code, CancellationToken cancellationToken)
    {
        if (NormalizeCode(code) is not { } typed)
        {
            // What can never be a code costs no attempt: a stray space or a dash is not a guess.
            return OperationResult.Refuse(new Refused(Refusal.InvalidRequest, $"The code must be the {_options.CodeLength} digits of the message."));
        }

        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        if (scope.Dialect.SharedByInstances && await VerificationStore.FindPhoneAsync(scope, owner, id) is { } phone)
        {
            // The failed-check counts span a phone's verifications: checks for one phone take turns across instances.
            await LimitStore.LockAsync(scope, LimitScopes.PhoneFailures(phone));
        }

        // Locked (PostgreSQL) until the end of the transaction: a cancel or an expiry on another instance waits, so the
        // decision below and the attempt taken agree.
        var row = await VerificationStore.FindForUpdateAsync(scope, owner, id);
        var refusal = row is null ? new Refused(Refusal.NotFound, "No verification has this id.") : await RefuseCheckAsync(scope, row, now);
        if (refusal is not null)
        {
            var current = row is null ? null : await ReadSnapshotAsync(scope, owner, id);
            await scope.CommitAsync(cancellationToken);
            var outcome = refusal.Reason.ToString();
            _metrics.Checked(outcome);
            LogCheckedNotably(_logger, id, outcome);
            return OperationResult.Refuse(refusal with { Verification = current });
        }

        var attempts = await VerificationStore.TakeAttemptAsync(scope, id, now, freshCodeOnly: row!.FreshCode == 1 && row.IsTest == 0)
            ?? throw new InvalidOperationException("The attempt could not be taken although the verification was checked in the same transaction.");
        var matches = row.CodeMac is not null && row.CodeKeyId is not null && _protector.Matches(id, typed, row.CodeKeyId, row.CodeMac);
        if (matches && await Lifecycle.EndAsync(scope, id, StatusNames.Approved, null, now))
        {
            if (row.IsTest == 0)
            {
                await LimitPolicy.ClearStarterFailuresAsync(scope, row.Phone, Starter(row));
            }

            var approved = (await ReadSnapshotAsync(scope, owner, id))!;
            await scope.CommitAsync(cancellationToken);
            _metrics.Approved(TimeSpan.FromMilliseconds(now) - TimeSpan.FromMilliseconds(approved.CreatedAt.ToUnixTimeMilliseconds()));
            _metrics.Checked("approved");
            LogChecked(_logger, id, "approved");
            return OperationResult.Ok(approved);
        }

        if (row.IsTest == 0)
        {
            await LimitPolicy.RecordFailureAsync(scope, row.Phone, Starter(row), id, now);
        }

        var attemptsLeft = (int)(row.MaxAttempts - attempts);
        await VerificationStore.AddEventAsync(scope, id, null, "check_failed", null, $"{attemptsLeft} attempts left", now);
        if (attemptsLeft == 0)
        {
            await Lifecycle.EndAsync(scope, id, StatusNames.MaxAttemptsReached, null, now);
        }

        var checkedOne = await ReadSnapshotAsync(scope, owner, id);
        await scope.CommitAsync(cancellationToken);
        _metrics.Checked("wrong_code");
        if (attemptsLeft == 0)
        {
            LogCheckedNotably(_logger, id, "wrong_code, no attempts left");
        }
        else
        {
            LogChecked(_logger, id, "wrong_code");
        }

        var message = attemptsLeft == 0
            ? "The code is wrong, and no attempts are left; start a new verification."
            : $"The code is wrong; {attemptsLeft} {(attemptsLeft == 1 ? "attempt" : "attempts")} left.";
        return OperationResult.Refuse(new Refused(Refusal.WrongCode, message, AttemptsLeft: attemptsLeft, Verification: checkedOne));
    }

    /// <summary>
    /// Why no comparison may be made, or null: the verification ended (or just expired), used its attempts, or its code
    /// is not fresh while the phone is over its failed-check cap or the starter waits out its delay.
    /// </summary>
    private async Task<Refused?> RefuseCheckAsync(Storage.WriteScope scope, VerificationRow row, long now)
    {
        if (await EndIfExpiredAsync(scope, row, now) || row.Status != StatusNames.Pending)
        {
            return RefusalForEnded(row.Status);
        }

        if (row.Attempts >= row.MaxAttempts)
        {
            await Lifecycle.EndAsync(scope, row.Id, StatusNames.MaxAttemptsReached, null, now);
            return RefusalForEnded(StatusNames.MaxAttemptsReached);
        }

        // Test numbers count no limit; a fresh code's first comparison is always made (it needed a send, and sends are limited).
        return row.IsTest == 1 || row.FreshCode == 1 ? null : await _limits.CheckFailuresAsync(scope, row.Phone, Starter(row), now);
    }

    /// <summary>
    /// Who started a verification, for the growing delays between failed checks: its owner and the end user's address
    /// (an API key serves many users; a sign-up session is one).
    /// </summary>
    private static string Starter(VerificationRow row) => row.Owner + "|" + row.ClientIp;

    /// <summary>
    /// The code as typed, without spaces or dashes and with any script's digits (full-width, Arabic-Indic, ...) as ASCII;
    /// null unless that leaves exactly <see cref="VerificationOptions.CodeLength"/> digits.
    /// </summary>
    private string? NormalizeCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeInputLength)
        {
            return null;
        }

        var digits = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2212' or '\u00AD')
            {
                continue;
            }

            var digit = CharUnicodeInfo.GetDecimalDigitValue(c);
            if (digit < 0)
            {
                return null;
            }

            digits.Append((char)('0' + digit));
        }

        return digits.Length == _options.CodeLength ? digits.ToString() : null;
    }

    /// <summary>The verification as its owner may see it, with its sends and timeline; null when there is none or it is someone else's.</summary>
    public async Task<VerificationSnapshot?> GetAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadSnapshotAsync(connection, null, owner, id);
    }

    /// <summary>Reads the snapshot on the given connection: inside a write scope it is the state that scope commits, without a second connection.</summary>
    private async Task<VerificationSnapshot?> ReadSnapshotAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, VerificationOwner owner, string id)
    {
        var row = await VerificationStore.FindOwnedAsync(connection, owner, id, transaction);
        if (row is null)
        {
            return null;
        }

        var sends = await VerificationStore.GetSendsAsync(connection, id, transaction);
        var events = await VerificationStore.GetEventsAsync(connection, id, transaction);
        return ToSnapshot(row,
            [.. sends.Select(s => new SendSnapshot((int)s.Seq, s.Reason, s.DeliveryStatus, s.MessageId, s.FailureReason, (int?)s.ErrorCode,
                Time(s.CreatedAt), s.AcceptedAt is { } a ? Time(a) : null, s.StatusAt is { } st ? Time(st) : null))],
            [.. events.Select(e => new TimelineEntry(Time(e.At), e.Kind, e.Status, e.Detail, (int?)e.Seq))]);
    }

    private Task<VerificationSnapshot?> ReadSnapshotAsync(Storage.WriteScope scope, VerificationOwner owner, string id) => ReadSnapshotAsync(scope.Connection, scope.Transaction, owner, id);

    private VerificationSnapshot ToSnapshot(VerificationRow row, SendSnapshot[] sends, TimelineEntry[] timeline)
    {
        var now = Now();
        var pending = row.Status == StatusNames.Pending;
        var canResend = pending && row.IsTest == 0 && row.SendCount < _options.MaxSendsPerVerification;
        return new VerificationSnapshot(
            row.Id, row.Phone, row.Region, row.Purpose, row.Locale, row.ClientRef,
            row.Metadata is null ? null : JsonSerializer.Deserialize(row.Metadata, VerificationJson.Default.DictionaryStringString),
            row.IsTest == 1,
            pending && row.ExpiresAt <= now ? VerificationStatus.Expired : StatusNames.Parse(row.Status),
            row.FailureReason,
            Time(row.CreatedAt), Time(row.ExpiresAt), row.EndedAt is { } ended ? Time(ended) : null,
            pending ? (int)Math.Max(0, row.MaxAttempts - row.Attempts) : 0,
            pending ? (int)Math.Max(0, _options.MaxSendsPerVerification - row.SendCount) : 0,
            canResend ? Time(Math.Max(row.NextResendAt, row.CreatedAt)) : null,
            sends, timeline);
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
