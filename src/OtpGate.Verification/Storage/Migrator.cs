using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded under <c>Storage/Migrations</c> in order, in one transaction, each with
/// its version recorded. (SQLite's durability settings are set and verified where its writer connection opens.)
/// </summary>
/// <remarks>
/// The rule for files: a version is either one script for both databases, <c>NNNN_name.sql</c>, with the dialect's
/// words (<c>{id}</c>, <c>{bytes}</c>) filled in; or, from version 0004 on, a pair <c>NNNN_name.sqlite.sql</c> and
/// <c>NNNN_name.postgres.sql</c>, for a change the two databases must make differently (SQLite cannot ALTER a column's
/// type or drop a constraint, so it rebuilds the table). Either way the version is recorded as <c>NNNN_name</c>.
/// Versions before 0004 stay single scripts: databases have already recorded them.
/// </remarks>
public static class Migrator
{
    public static async Task<int> MigrateAsync(Database database, TimeProvider time, CancellationToken cancellationToken)
    {
        var scripts = LoadScripts(database.Dialect);
        var applied = 0;
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var connection = scope.Connection;
        if (database.Dialect.AdvisoryLocks)
        {
            await connection.ExecuteAsync(database.Dialect.MigrationLockSql, transaction: scope.Transaction);
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
        var shipped = LoadScripts(database.Dialect).Max(s => s.Version);
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

    /// <summary>The first version that may come as a pair of per-database files.</summary>
    internal const long FirstPerDialectVersion = 4;

    /// <summary>A script to run: its version, the name recorded for it, and the file it is read from.</summary>
    internal sealed record Script(long Version, string Name, string File);

    /// <summary>Picks, for each version, the file the database named <paramref name="dialect"/> runs (see the rule above); throws on a set of files that breaks it.</summary>
    internal static List<Script> Select(IEnumerable<string> files, string dialect)
    {
        var scripts = new List<Script>();
        foreach (var version in files.Select(Parse).GroupBy(f => f.Version).OrderBy(g => g.Key))
        {
            var names = version.Select(f => f.Name).Distinct(StringComparer.Ordinal).ToList();
            var shared = version.Where(f => f.Dialect is null).ToList();
            var own = version.Where(f => f.Dialect == dialect).ToList();
            var perDialect = version.Where(f => f.Dialect is not null).Select(f => f.Dialect).Order(StringComparer.Ordinal).ToList();
            var valid = names.Count == 1 && ((shared.Count == 1 && perDialect.Count == 0) || (shared.Count == 0 && perDialect.SequenceEqual(["postgres", "sqlite"])));
            if (!valid || perDialect.Count > 0 && version.Key < FirstPerDialectVersion)
            {
                throw new InvalidOperationException(
                    $"Migration {version.Key} is {string.Join(", ", version.Select(f => f.File))}; a version is one NNNN_name.sql, or from {FirstPerDialectVersion:0000} on the pair NNNN_name.sqlite.sql and NNNN_name.postgres.sql.");
            }

            scripts.Add(new Script(version.Key, names[0], (shared.Count == 1 ? shared : own)[0].File));
        }

        return scripts;

        static (long Version, string Name, string? Dialect, string File) Parse(string file)
        {
            var name = file[..^".sql".Length];
            string? dialect = null;
            if (Path.GetExtension(name) is [_, ..] extension)
            {
                dialect = extension[1..];
                name = name[..^extension.Length];
            }

            var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            return (version, name, dialect, file);
        }
    }

    private static List<(long Version, string Name, string Sql)> LoadScripts(SqlDialect dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        const string prefix = "OtpGate.Migrations/";
        var files = assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r[prefix.Length..]);
        var scripts = new List<(long, string, string)>();
        foreach (var script in Select(files, dialect.Name))
        {
            using var stream = assembly.GetManifestResourceStream(prefix + script.File)!;
            using var reader = new StreamReader(stream);
            scripts.Add((script.Version, script.Name, reader.ReadToEnd()));
        }

        return scripts;
    }
}
