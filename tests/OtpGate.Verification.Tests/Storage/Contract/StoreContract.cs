using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Storage.Contract;

/// <summary>The databases a store contract runs on: each of its tests gets a fresh, migrated one.</summary>
public enum TestDatabase
{
    /// <summary>A real SQLite file in a temporary folder.</summary>
    Sqlite,

    /// <summary>A fresh schema on the test PostgreSQL server (see <see cref="PostgresTestServer"/>: skipped without one locally, failing on CI).</summary>
    Postgres,
}

/// <summary>
/// What every store contract shares: a fresh migrated database per test, a write transaction in one call, and rows to
/// build on. A contract is an abstract class per store, run once per database by a two-line subclass, so SQLite and
/// PostgreSQL are held to the same behaviour, statement by statement.
/// </summary>
public abstract class StoreContract(TestDatabase kind) : IAsyncLifetime
{
    /// <summary>A fixed time, in epoch milliseconds.</summary>
    protected const long Now = 1_795_000_000_000;

    private string? _folder;
    private Func<Task>? _drop;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected Database Database { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Database = await OpenAsync();
        await Migrator.MigrateAsync(Database, TimeProvider.System, Token);
    }

    /// <summary>An empty database of this contract's kind, not migrated.</summary>
    protected async Task<Database> OpenAsync()
    {
        if (kind == TestDatabase.Postgres)
        {
            var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
            _drop += drop;
            return Database.ForPostgres(connectionString);
        }

        _folder ??= Path.Combine(Path.GetTempPath(), "otpgate-tests", "contract-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        return Database.ForSqlite(_folder, "store-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".db");
    }

    public async ValueTask DisposeAsync()
    {
        Database?.Dispose();
        if (_drop is not null)
        {
            await _drop();
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it.</summary>
    protected async Task<T> WriteAsync<T>(Func<WriteScope, Task<T>> work)
    {
        await using var scope = await Database.BeginWriteAsync(Token);
        var result = await work(scope);
        await scope.CommitAsync(Token);
        return result;
    }

    protected Task WriteAsync(Func<WriteScope, Task> work) => WriteAsync(async scope =>
    {
        await work(scope);
        return true;
    });

    protected async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read)
    {
        await using var connection = await Database.OpenAsync(Token);
        return await read(connection);
    }

    /// <summary>What the tables hold, read directly: the contract checks the stores' effects, not only their answers.</summary>
    protected Task<T> ScalarAsync<T>(string sql, object? parameters = null) => ReadAsync(async c => (await c.ExecuteScalarAsync<T>(sql, parameters))!);

    protected static readonly VerificationOwner Owner = VerificationOwner.ApiKey("contract");

    /// <summary>A pending verification with a code, expiring 10 minutes after <see cref="Now"/>.</summary>
    private protected static VerificationRow Pending(string id, string phone = "12125550100", string purpose = "signup", VerificationOwner? owner = null) => new()
    {
        Id = id,
        Owner = (owner ?? Owner).Value,
        Phone = phone,
        Region = "US",
        Purpose = purpose,
        Locale = "en",
        ClientIp = "192.0.2.1",
        Status = "pending",
        CodeKeyId = "k1",
        CodeMac = [1, 2, 3],
        CodeCipher = [4, 5, 6],
        ExpiresAt = Now + 600_000,
        MaxAttempts = 5,
        SendCount = 1,
        NextResendAt = Now + 30_000,
        CreatedAt = Now,
        UpdatedAt = Now,
        FreshCode = 1,
    };

    private protected Task InsertAsync(VerificationRow row) => WriteAsync(scope => VerificationStore.InsertAsync(scope, row));

    /// <summary>A send of the verification, written directly (the outbox's own store is covered by its own tests).</summary>
    protected Task<long> InsertSendAsync(string verificationId, long seq = 1, string? messageId = null) => WriteAsync(scope =>
        scope.Connection.ExecuteScalarAsync<long>("""
            INSERT INTO sends (verification_id, seq, reason, job_state, due_at, delivery_status, message_id, created_at)
            VALUES (@verificationId, @seq, 'start', 'queued', @now, 'queued', @messageId, @now)
            RETURNING id
            """, new { verificationId, seq, messageId, now = Now }, scope.Transaction));
}
