using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>
    /// Approves a pending verification without a code: the application verified the user another way (Twilio's
    /// <c>Status=approved</c>). Like a right code, it ends the verification and its queued sends.
    /// </summary>
    public async Task<OperationResult> ApproveWithoutCodeAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var (row, answer) = await FindPendingAsync(scope, owner, id, now, cancellationToken);
        if (row is null)
        {
            return answer!;
        }

        await Lifecycle.ApproveAsync(scope, id, now);
        if (row.IsTest == 0)
        {
            _fraud.CountApproval(scope, row.Phone, row.CreatedAt, now);
        }

        var approved = (await ReadSnapshotAsync(scope, owner, id))!;
        await scope.CommitAsync(cancellationToken);
        _metrics.Approved(owner.Service, approved.EndedAt.GetValueOrDefault(approved.CreatedAt) - approved.CreatedAt);
        return OperationResult.Ok(approved);
    }

    /// <summary>
    /// The id a check naming the phone instead of the verification acts on (Twilio's checks by <c>To</c>): the owner's
    /// pending verification for this phone and the default purpose; else its latest one, when that ran out of attempts
    /// within its lifetime, so the check is told "max attempts" as a check by id is, not "not found". Null when neither.
    /// The phone is the number as typed.
    /// </summary>
    public async Task<string?> FindIdToCheckAsync(VerificationOwner owner, string phone, CancellationToken cancellationToken)
    {
        var parsed = Phones.PhoneNumberParser.Parse(phone);
        if (!parsed.IsValid)
        {
            return null;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        var digits = parsed.Number.Digits;
        return await VerificationStore.FindPendingIdAsync(connection, owner, digits, StartInput.DefaultPurpose)
            ?? (await VerificationStore.FindLatestAsync(connection, owner, digits, StartInput.DefaultPurpose) is { } latest
                && latest.CurrentStatus() == Contract.VerificationStatus.MaxAttemptsReached && latest.ExpiresAt > Now()
                    ? latest.Id
                    : null);
    }
}
