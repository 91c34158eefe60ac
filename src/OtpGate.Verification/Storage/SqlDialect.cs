namespace OtpGate.Verification.Storage;

/// <summary>
/// Every difference between SQLite and PostgreSQL the stores need, in one place: what the database can do, as named
/// capabilities (callers ask <see cref="SharedByInstances"/>, never which database it is), and the few words of SQL that
/// differ. The stores' SQL is otherwise portable: <c>@name</c> parameters, <c>RETURNING</c>, <c>ON CONFLICT</c>,
/// integer epoch times.
/// </summary>
public abstract class SqlDialect
{
    public abstract string Name { get; }

    /// <summary>
    /// Several processes may use the database at once (PostgreSQL). When false, one process owns it (a SQLite file):
    /// claims left by an earlier run belong to a dead process, and the writer's transaction already serialises writes.
    /// </summary>
    public abstract bool SharedByInstances { get; }

    /// <summary>Transactions can take turns on a named key (<see cref="LockScopeSql"/>), whichever instance runs them.</summary>
    public abstract bool AdvisoryLocks { get; }

    /// <summary>Writes queued behind each other commit together on one long-lived writer connection (SQLite).</summary>
    public abstract bool GroupCommit { get; }

    /// <summary>Processes can wake each other's listeners (<c>LISTEN/NOTIFY</c>; see <see cref="Database.ListenAsync"/> and <see cref="Database.NotifyAsync"/>).</summary>
    public abstract bool Notifications { get; }

    /// <summary>Fills the dialect's words into a migration script: <c>{id}</c> (an auto-numbered key) and <c>{bytes}</c> (a binary column).</summary>
    public string ExpandSchema(string sql) => sql.Replace("{id}", IdentityColumn, StringComparison.Ordinal).Replace("{bytes}", BytesType, StringComparison.Ordinal);

    protected abstract string IdentityColumn { get; }

    protected abstract string BytesType { get; }

    /// <summary>
    /// SQL run inside a write transaction before counting a limit scope, so that concurrent transactions on other
    /// instances count one after the other; used only with <see cref="AdvisoryLocks"/>.
    /// </summary>
    public abstract string LockScopeSql { get; }

    /// <summary>
    /// <see cref="LockScopeSql"/>'s shared form: holders of it run together, and a holder of the exclusive form waits
    /// until every one of them has ended.
    /// </summary>
    public abstract string LockScopeSharedSql { get; }

    /// <summary>The suffix of the inner SELECT that picks due jobs (PostgreSQL adds <c>FOR UPDATE SKIP LOCKED</c>).</summary>
    public abstract string ClaimLockSuffix { get; }

    /// <summary>SQL run first in the migration transaction so that instances starting together migrate one at a time; used only with <see cref="AdvisoryLocks"/>.</summary>
    public abstract string MigrationLockSql { get; }

    /// <summary>The suffix of a SELECT that reads a row the transaction is about to change (<c>FOR NO KEY UPDATE</c> on PostgreSQL).</summary>
    public abstract string RowLockSuffix { get; }

    /// <summary>
    /// How many rows a counter every start adds to (the fraud guard's per prefix and minute, the spend per day) is spread
    /// over: a transaction picks one at random (<see cref="PickShard"/>) and readers sum them all. Where transactions
    /// write in parallel and hold a row to their commit, one row would make them commit one at a time.
    /// </summary>
    public abstract int CounterShards { get; }

    public int PickShard() => CounterShards == 1 ? 0 : System.Security.Cryptography.RandomNumberGenerator.GetInt32(CounterShards);
}

public sealed class PostgresDialect : SqlDialect
{
    /// <summary>The channel dispatchers LISTEN on.</summary>
    public const string OutboxChannel = "otpgate_outbox";

    public static readonly PostgresDialect Instance = new();

    public override string Name => "postgres";

    public override bool SharedByInstances => true;

    public override bool AdvisoryLocks => true;

    public override bool GroupCommit => false;

    public override bool Notifications => true;

    protected override string IdentityColumn => "BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    protected override string BytesType => "BYTEA";

    // A transaction-scoped advisory lock per limit scope (a phone, an IP): transactions of every instance that count
    // the same scope take turns, and the lock ends with the transaction.
    public override string LockScopeSql => "SELECT pg_advisory_xact_lock(hashtext(@scope))";

    public override string LockScopeSharedSql => "SELECT pg_advisory_xact_lock_shared(hashtext(@scope))";

    public override string ClaimLockSuffix => "FOR UPDATE SKIP LOCKED";

    public override string MigrationLockSql => "SELECT pg_advisory_xact_lock(hashtext('otpgate/migrations'))";

    // NO KEY UPDATE, the lock an UPDATE of the row takes anyway: it serialises changes as FOR UPDATE does, but lets
    // other transactions insert timeline entries and sends that reference the row (their foreign-key check takes KEY
    // SHARE). With FOR UPDATE, a cancel holding the verification and waiting for its send's row deadlocked with the
    // dispatcher holding that send's row and adding the verification's timeline entry.
    public override string RowLockSuffix => "FOR NO KEY UPDATE";

    // About the number of starts a server core has in flight at once under load (the pool holds up to 100 connections).
    public override int CounterShards => 16;
}

public sealed class SqliteDialect : SqlDialect
{
    public static readonly SqliteDialect Instance = new();

    public override string Name => "sqlite";

    public override bool SharedByInstances => false;

    public override bool AdvisoryLocks => false;

    public override bool GroupCommit => true;

    public override bool Notifications => false;

    // SQLite numbers rows itself only for a column declared exactly "INTEGER PRIMARY KEY".
    protected override string IdentityColumn => "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT";

    protected override string BytesType => "BLOB";

    // SQLite has one writer at a time (BEGIN IMMEDIATE), so counting inside the transaction is already exact.
    public override string LockScopeSql => "";

    public override string LockScopeSharedSql => "";

    public override string ClaimLockSuffix => "";

    public override string MigrationLockSql => "";

    public override string RowLockSuffix => "";

    // One writer: a row is never waited for, and more rows would only be more to write and sum.
    public override int CounterShards => 1;
}
