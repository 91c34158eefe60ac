using System.Data.Common;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Write transactions committed, the write operations (scopes committed) they carried, and how many SQL texts the
/// SQLite writer compiled (each distinct text once; 0 on PostgreSQL, where Npgsql prepares).
/// </summary>
public readonly record struct WriteStatistics(long Commits, long Writes, long StatementsCompiled = 0);

/// <summary>
/// What a committed write changed: the verifications (for watchers), whether it queued a send (for the dispatcher), and
/// how many verifications of each service it expired (for the metric, counted only once the expiry is durable), and
/// whether it raised an event some endpoint wants (for the event dispatcher).
/// </summary>
public readonly record struct CommittedChanges(IReadOnlyCollection<string> Verifications, bool SendQueued, IReadOnlyDictionary<string, int>? Expired = null, bool EventRaised = false);

/// <summary>What ends a <see cref="WriteScope"/>: its own transaction, or SQLite's shared writer.</summary>
internal interface IWriteScopeOwner
{
    /// <summary>Makes the scope's writes durable and gives the connection back.</summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>Undoes the scope's writes and gives the connection back.</summary>
    ValueTask AbortAsync();
}

/// <summary>A connection with an open write transaction.</summary>
public sealed class WriteScope : IAsyncDisposable
{
    private readonly IWriteScopeOwner _owner;
    private readonly Action<CommittedChanges>? _afterCommit;
    private bool _ended;
    private HashSet<string>? _changed;
    private bool _sendQueued;
    private Dictionary<string, int>? _expired;
    private bool _eventRaised;
    private List<Func<WriteScope, Task>>? _atCommit;
    private int? _shard;

    internal WriteScope(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IWriteScopeOwner owner, Action<CommittedChanges>? afterCommit)
    {
        Connection = connection;
        Transaction = transaction;
        Dialect = dialect;
        _owner = owner;
        _afterCommit = afterCommit;
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    public SqlDialect Dialect { get; }

    /// <summary>What every queued send is charged through (<see cref="Fraud.SpendMeter"/>); null in a bare database without the engine.</summary>
    internal Fraud.SpendMeter? Spend { get; set; }

    /// <summary>
    /// This transaction's shard of every sharded counter (<see cref="SqlDialect.CounterShards"/>), picked at random once:
    /// one shard for all its counters, so two transactions wait for each other on all their counters or on none, and
    /// never in a chain (A waits for B's spend row while B waits for C's fraud row).
    /// </summary>
    internal int Shard => _shard ??= Dialect.PickShard();

    /// <summary>Notes that a verification changed; watchers hear of it once the transaction commits.</summary>
    public void MarkChanged(string verificationId) => (_changed ??= new(StringComparer.Ordinal)).Add(verificationId);

    /// <summary>Notes that a send was queued; the dispatcher is woken once the transaction commits (not before: it would find nothing).</summary>
    public void MarkSendQueued() => _sendQueued = true;

    /// <summary>Notes that a verification of <paramref name="service"/> expired; counted once the transaction commits (a rolled-back expiry happens again later).</summary>
    public void MarkExpired(string service)
    {
        _expired ??= new(StringComparer.Ordinal);
        _expired[service] = _expired.GetValueOrDefault(service) + 1;
    }

    /// <summary>Notes that an event with deliveries to make was written; the event dispatcher is woken once the transaction commits.</summary>
    public void MarkEventRaised() => _eventRaised = true;

    /// <summary>
    /// Runs <paramref name="write"/> when the scope commits, just before the commit: for upserts of rows that many
    /// transactions add to (the fraud guard's counters, spend), so that on PostgreSQL each holds such a row's lock for its
    /// commit only, not for the rest of its statements (an upsert in the middle of a start made the next start on that
    /// row wait 8 ms on average under load). Nothing in the transaction may read back what these write.
    /// </summary>
    internal void AtCommit(Func<WriteScope, Task> write) => (_atCommit ??= []).Add(write);

    /// <summary>Commits, giving the connection (and on SQLite the writer) back before it returns, so the caller may read at once.</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        foreach (var write in _atCommit ?? [])
        {
            await write(this);
        }

        _ended = true;
        await _owner.CommitAsync(cancellationToken);
        if (_changed is { Count: > 0 } || _sendQueued || _expired is not null || _eventRaised)
        {
            _afterCommit?.Invoke(new CommittedChanges((IReadOnlyCollection<string>?)_changed ?? [], _sendQueued, _expired, _eventRaised));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        await _owner.AbortAsync();
    }
}
