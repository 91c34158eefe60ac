using OtpGate.Verification.Codes;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Limits;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>
    /// Checks a code for the verification's owner (to anyone else it does not exist). The attempt is taken in one
    /// statement before the comparison, so exactly <see cref="VerificationOptions.MaxAttempts"/> comparisons ever happen,
    /// whatever the concurrency. Past the phone's failed-check cap, or during the starter's growing delay, only the
    /// first comparison of a fresh code is made; every other check is refused without comparing, so a right code there
    /// gets the same answer as a wrong one. A code is accepted once.
    /// </summary>
    public async Task<OperationResult> CheckAsync(VerificationOwner owner, string id, string? code, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        // The owner's service (its verifications are in no other): the code length it sends.
        var rules = await RulesForReadingAsync(scope.Connection, scope.Transaction, owner.Service);
        if (TypedCode.Normalize(code, rules.Options.CodeLength) is not { } typed)
        {
            // What can never be a code costs no attempt: a stray space or a dash is not a guess. Nothing was written.
            return OperationResult.Refuse(new Refused(Refusal.InvalidRequest, $"The code must be the {rules.Options.CodeLength} digits of the message."));
        }

        if (scope.Dialect.SharedByInstances && await VerificationStore.FindPhoneAsync(scope, owner, id) is { } phone)
        {
            // The failed-check counts span a phone's verifications: checks for one phone take turns across instances.
            await LimitStore.LockAsync(scope, LimitScopes.PhoneFailures(phone));
        }

        // Locked (PostgreSQL) until the end of the transaction: a cancel or an expiry on another instance waits, so the
        // decision below and the attempt taken agree.
        var row = await VerificationStore.FindForUpdateAsync(scope, owner, id);
        var refusal = row is null ? new Refused(Refusal.NotFound, "No verification has this id.") : await RefuseCheckAsync(scope, row, rules, now);
        if (refusal is not null)
        {
            var current = row is null ? null : await ReadSnapshotAsync(scope, owner, id, rules);
            await scope.CommitAsync(cancellationToken);
            // The refusal's wire name (already_approved, not_found, expired): the label style of wrong_code and approved.
            var outcome = refusal.Reason.ToWireName();
            _metrics.Checked(owner.Service, outcome);
            LogCheckedNotably(_logger, id, outcome);
            return OperationResult.Refuse(refusal with { Verification = current });
        }

        var attempts = await VerificationStore.TakeAttemptAsync(scope, id, now, freshCodeOnly: row!.FreshCode == 1 && row.IsTest == 0)
            ?? throw new InvalidOperationException("The attempt could not be taken although the verification was checked in the same transaction.");
        var matches = row.CodeMac is not null && row.CodeKeyId is not null && _protector.Matches(id, typed, row.CodeKeyId, row.CodeMac);
        return matches && await Lifecycle.ApproveAsync(scope, id, now)
            ? await ApprovedAsync(scope, owner, row, rules, cancellationToken)
            : await WrongCodeAsync(scope, owner, row, rules, (int)(row.MaxAttempts - attempts), now, cancellationToken);
    }

    /// <summary>The right code, approved in <paramref name="scope"/>: the starter's failures forgiven, then committed.</summary>
    private async Task<OperationResult> ApprovedAsync(WriteScope scope, VerificationOwner owner, VerificationRow row, ServiceRules rules, CancellationToken cancellationToken)
    {
        if (row.IsTest == 0)
        {
            await LimitPolicy.ClearStarterFailuresAsync(scope, row.Phone, Starter(row));
            _fraud.CountApproval(scope, row.Phone, row.CreatedAt, Now());
        }

        var approved = (await ReadSnapshotAsync(scope, owner, row.Id, rules))!;
        await scope.CommitAsync(cancellationToken);
        _metrics.Approved(owner.Service, approved.EndedAt.GetValueOrDefault(approved.CreatedAt) - approved.CreatedAt);
        _metrics.Checked(owner.Service, "approved");
        LogChecked(_logger, row.Id, "approved");
        return OperationResult.Ok(approved);
    }

    /// <summary>A wrong code (or a right one the verification had ended before): counted against the phone and the starter.</summary>
    private async Task<OperationResult> WrongCodeAsync(
        WriteScope scope, VerificationOwner owner, VerificationRow row, ServiceRules rules, int attemptsLeft, long now, CancellationToken cancellationToken)
    {
        if (row.IsTest == 0)
        {
            await LimitPolicy.RecordFailureAsync(scope, row.Phone, Starter(row), row.Id, now);
        }

        await Lifecycle.WrongCodeAsync(scope, row.Id, attemptsLeft, now);
        var checkedOne = await ReadSnapshotAsync(scope, owner, row.Id, rules);
        await scope.CommitAsync(cancellationToken);
        _metrics.Checked(owner.Service, "wrong_code");
        if (attemptsLeft == 0)
        {
            LogCheckedNotably(_logger, row.Id, "wrong_code, no attempts left");
        }
        else
        {
            LogChecked(_logger, row.Id, "wrong_code");
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
    private static async Task<Refused?> RefuseCheckAsync(WriteScope scope, VerificationRow row, ServiceRules rules, long now)
    {
        if (await EndIfExpiredAsync(scope, row, now) || row.CurrentStatus() != VerificationStatus.Pending)
        {
            return RefusalForEnded(row.CurrentStatus());
        }

        if (row.Attempts >= row.MaxAttempts)
        {
            await Lifecycle.AttemptsExhaustedAsync(scope, row.Id, now);
            return RefusalForEnded(VerificationStatus.MaxAttemptsReached);
        }

        // Test numbers count no limit; a fresh code's first comparison is always made (it needed a send, and sends are limited).
        return row.IsTest == 1 || row.FreshCode == 1 ? null : await rules.Limits.CheckFailuresAsync(scope, row.Phone, Starter(row), now);
    }

    /// <summary>
    /// Who started a verification, for the growing delays between failed checks: its owner and the end user's address
    /// (an API key serves many users; a sign-up session is one).
    /// </summary>
    private static string Starter(VerificationRow row) => row.Owner + "|" + row.ClientIp;
}
