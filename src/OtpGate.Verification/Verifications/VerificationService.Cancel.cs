using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Verifications;

public sealed partial class VerificationService
{
    /// <summary>Cancels a pending verification: its code stops working and its queued sends are dropped.</summary>
    public async Task<OperationResult> CancelAsync(VerificationOwner owner, string id, CancellationToken cancellationToken)
    {
        var now = Now();
        await using var scope = await _database.BeginWriteAsync(cancellationToken);
        var (row, answer) = await FindPendingAsync(scope, owner, id, now, cancellationToken);
        if (row is null)
        {
            return answer!;
        }

        await Lifecycle.CancelAsync(scope, id, now);
        var canceled = (await ReadSnapshotAsync(scope, owner, id))!;
        await scope.CommitAsync(cancellationToken);
        return OperationResult.Ok(canceled);
    }
}
