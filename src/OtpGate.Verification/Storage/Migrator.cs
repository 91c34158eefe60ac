using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded under <c>Storage/Migrations/NNNN_name.sql</c> in order (one script for
/// both databases, with the dialect's words filled in),
/// each in its own transaction with its version recorded. (SQLite's durability settings are set and verified where its writer connection opens.)
/// </summary>
public static class Migrator
{
    public static async Task<int> MigrateAsync(Database database, TimeProvider time, CancellationToken cancellationToken)
    {
        var scripts = LoadScripts();
        var applied = 0;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var connection = scope.Connection;
        if (database.Dialect.MigrationLockSql is { } lockSql)
        {
            await connection.ExecuteAsync(lockSql, transaction: scope.Transaction);
        }

        await connection.ExecuteAsync(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            transaction: scope.Transaction);
        var done = (await connection.QueryAsync<long>("SELECT version FROM schema_migrations", transaction: scope.Transaction)).ToHashSet();
        foreach (var (version, name, sql) in scripts)
        {
            if (done.Contains(version))
            {
                continue;
            }

            await connection.ExecuteAsync(database.Dialect.ExpandSchema(sql), transaction: scope.Transaction);
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                new { version, name, now = time.GetUtcNow().ToUnixTimeMilliseconds() },
                scope.Transaction);
            applied++;
        }

        await scope.CommitAsync(cancellationToken);
        database.Health.MarkWritable();
        return applied;
    }

    /// <summary>The highest script version shipped, and the highest applied (for health checks and <c>otpgate doctor</c>).</summary>
    public static async Task<(long Shipped, long Applied)> GetVersionsAsync(Database database, CancellationToken cancellationToken)
    {
        var shipped = LoadScripts().Max(s => s.Version);
        await using var connection = await database.OpenAsync(cancellationToken);
        try
        {
            var applied = await connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_migrations") ?? 0;
            return (shipped, applied);
        }
        catch (DbException)
        {
            return (shipped, 0);
        }
    }

    private static List<(long Version, string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "OtpGate.Migrations/";
        var scripts = new List<(long, string, string)>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[prefix.Length..^".sql".Length];
            var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add((version, name, reader.ReadToEnd()));
        }

        return [.. scripts.OrderBy(s => s.Item1)];
    }
}
