using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>The purges of maintenance that belong to no other store: ended verifications (their sends and events go with them) and old status callbacks.</summary>
internal static class RetentionStore
{
    /// <summary>Deletes verifications that ended and were created before <paramref name="createdBefore"/>; returns how many.</summary>
    public static Task<int> PurgeEndedVerificationsAsync(WriteScope scope, long createdBefore) =>
        scope.Connection.ExecuteAsync(
            "DELETE FROM verifications WHERE status <> 'pending' AND created_at < @createdBefore", new { createdBefore }, scope.Transaction);

    /// <summary>Deletes status callbacks received before <paramref name="receivedBefore"/>; returns how many.</summary>
    public static Task<int> PurgeReceiptsAsync(WriteScope scope, long receivedBefore) =>
        scope.Connection.ExecuteAsync(
            "DELETE FROM delivery_receipts WHERE received_at < @receivedBefore", new { receivedBefore }, scope.Transaction);
}
