using System.Text.Json;
using OtpGate.Verification.Limits;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    private const int MaxCodeInputLength = 32;

    /// <summary>
    /// Checks a code. The attempt is taken (one atomic statement) before the comparison, so exactly
    /// <see cref="VerificationOptions.MaxAttempts"/> comparisons ever happen, whatever the concurrency. Past the cap a
    /// right code gets the same answer as a wrong one. A code is accepted once.
    /// </summary>
    public async Task<OperationResult> CheckAsync(string id, string? code, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(code) || code.Length > MaxCodeInputLength)
        {
            return OperationResult.Refuse(new Refused(Refusal.InvalidRequest, $"The code must be 1 to {MaxCodeInputLength} characters."));
        }

        var now = Now();
        var failuresSince = now - Ms(_options.FailedChecksWindow);
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        if (scope.Dialect.LockScopeSql is not null && await VerificationStore.FindPhoneAsync(scope, id) is { } phone)
        {
            // The failed-check cap spans a phone's verifications: checks for one phone take turns across instances.
            await LimitStore.LockAsync(scope, LimitScopes.PhoneFailures(phone));
        }

        var ticket = await VerificationStore.TakeAttemptAsync(scope, id, now, failuresSince, _options.MaxFailedChecksPerPhone);
        if (ticket is null)
        {
            var refusal = await ExplainNoAttemptAsync(scope, id, now);
            var current = refusal.Reason == Refusal.NotFound ? null : await ReadSnapshotAsync(scope, id);
            await scope.CommitAsync(cancellationToken);
            var outcome = refusal.Reason.ToString();
            _metrics.Checked(outcome);
            LogCheckedNotably(_logger, id, outcome);
            return OperationResult.Refuse(refusal with { Verification = current });
        }

        // Every comparison counts as a failure until it proves right, so concurrent checks cannot overrun the phone's cap.
        long? failureEvent = ticket.IsTest == 1 ? null : await LimitStore.RecordAsync(scope, LimitScopes.PhoneFailures(ticket.Phone), id, now);
        var matches = ticket.CodeMac is not null && ticket.CodeKeyId is not null
            && _protector.Matches(id, code, ticket.CodeKeyId, ticket.CodeMac);
        if (matches && await VerificationStore.EndAsync(scope, id, StatusNames.Approved, null, now))
        {
            if (failureEvent is { } eventId)
            {
                await LimitStore.ForgetAsync(scope, eventId);
            }

            await Outbox.OutboxStore.CancelQueuedAsync(scope, id, now);
            await VerificationStore.AddEventAsync(scope, id, null, "approved", StatusNames.Approved, null, now);
            var approved = (await ReadSnapshotAsync(scope, id))!;
            await scope.CommitAsync(cancellationToken);
            _metrics.Approved(TimeSpan.FromMilliseconds(now) - TimeSpan.FromMilliseconds(approved.CreatedAt.ToUnixTimeMilliseconds()));
            _metrics.Checked("approved");
            LogChecked(_logger, id, "approved");
            return OperationResult.Ok(approved);
        }

        var attemptsLeft = (int)(ticket.MaxAttempts - ticket.Attempts);
        await VerificationStore.AddEventAsync(scope, id, null, "check_failed", null, $"{attemptsLeft} attempts left", now);
        if (attemptsLeft == 0 && await VerificationStore.EndAsync(scope, id, StatusNames.MaxAttemptsReached, null, now))
        {
            await Outbox.OutboxStore.CancelQueuedAsync(scope, id, now);
            await VerificationStore.AddEventAsync(scope, id, null, "max_attempts_reached", StatusNames.MaxAttemptsReached, null, now);
        }

        var checkedOne = await ReadSnapshotAsync(scope, id);
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

    /// <summary>Why no attempt could be taken: the verification is gone, ended, expired, out of attempts, or its phone is over the failure cap.</summary>
    private async Task<Refused> ExplainNoAttemptAsync(Storage.WriteScope scope, string id, long now)
    {
        var row = await VerificationStore.FindAsync(scope.Connection, id, scope.Transaction);
        if (row is null)
        {
            return new Refused(Refusal.NotFound, "No verification has this id.");
        }

        if (await EndIfExpiredAsync(scope, row, now) || row.Status != StatusNames.Pending)
        {
            return RefusalForEnded(row.Status);
        }

        if (row.Attempts >= row.MaxAttempts)
        {
            await VerificationStore.EndAsync(scope, id, StatusNames.MaxAttemptsReached, null, now);
            return RefusalForEnded(StatusNames.MaxAttemptsReached);
        }

        return await _limits.CheckFailuresAsync(scope, row.Phone, now)
            ?? new Refused(Refusal.RateLimited, "Too many wrong codes were entered for this number; try again later.", LimitNames.PhoneFailedChecks, TimeSpan.FromMinutes(1));
    }

    /// <summary>The verification as a client may see it, with its sends and timeline; null when there is none.</summary>
    public async Task<VerificationSnapshot?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await ReadSnapshotAsync(connection, null, id);
    }

    /// <summary>Reads the snapshot on the given connection: inside a write scope it is the state that scope commits, without a second connection.</summary>
    private async Task<VerificationSnapshot?> ReadSnapshotAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string id)
    {
        var row = await VerificationStore.FindAsync(connection, id, transaction);
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

    private Task<VerificationSnapshot?> ReadSnapshotAsync(Storage.WriteScope scope, string id) => ReadSnapshotAsync(scope.Connection, scope.Transaction, id);

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
