namespace OtpGate.Verification.Storage;

/// <summary>
/// Every difference between SQLite and PostgreSQL the stores need, in one place. The stores' SQL is otherwise
/// portable: <c>@name</c> parameters, <c>RETURNING</c>, <c>ON CONFLICT</c>, integer epoch times.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>The folder of versioned migration scripts (embedded resources) for this dialect.</summary>
    public abstract string MigrationFolder { get; }

    /// <summary>
    /// SQL run inside a write transaction before counting a limit scope, so that concurrent transactions on other
    /// instances count one after the other; null where the transaction itself already serialises writers.
    /// </summary>
    public abstract string? LockScopeSql { get; }

    /// <summary>The suffix of the inner SELECT that picks due jobs (PostgreSQL adds <c>FOR UPDATE SKIP LOCKED</c>).</summary>
    public abstract string ClaimLockSuffix { get; }
}

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Name => "sqlite";

    public override string MigrationFolder => "sqlite";

    // SQLite has one writer at a time (BEGIN IMMEDIATE), so counting inside the transaction is already exact.
    public override string? LockScopeSql => null;

    public override string ClaimLockSuffix => "";
}
