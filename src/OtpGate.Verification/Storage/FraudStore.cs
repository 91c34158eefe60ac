using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The fraud guard's SQL (tables <c>fraud_counters</c> and <c>fraud_rules</c>): what a start reads about its number's
/// prefixes and rules (one statement), the counters it and its approval add (one upsert each), the guard's blocks, and
/// the operator's lists.
/// </summary>
internal static class FraudStore
{
    // One text per number of prefixes (1 to 5), so SQLite compiles each once and PostgreSQL prepares each once.
    private static readonly string[] StartUpserts = [.. Enumerable.Range(0, 6).Select(CountSql)];
    // An approval adds to its own shard's rows of the prefixes whose starts were counted that minute (in any shard), in
    // prefix order, the order a start's upsert takes them in (shortest prefix first, which is also ascending): rows
    // locked in another order deadlocked under load on PostgreSQL (40P01, a 500 to the caller).
    private static readonly string[] ApprovalUpserts = [.. Enumerable.Range(0, 6).Select(n => $"""
        INSERT INTO fraud_counters (prefix, minute, shard, starts, approvals)
        SELECT DISTINCT prefix, @minute, @shard, 0, 1 FROM fraud_counters WHERE prefix IN ({List("p", n)}) AND minute = @minute ORDER BY prefix
        ON CONFLICT (prefix, minute, shard) DO UPDATE SET approvals = fraud_counters.approvals + 1
        """)];

    /// <summary>
    /// In one statement: the rules in force for any of <paramref name="targets"/>, and for each prefix its starts this
    /// minute and, over the window, its judged starts (those of settled minutes, plus later ones already approved) and
    /// their approvals.
    /// </summary>
    public static async Task<IReadOnlyList<FraudRow>> ReadAsync(
        WriteScope scope, IReadOnlyList<string> targets, IReadOnlyList<string> prefixes, long minute, long fromMinute, long settledMinute, long now)
    {
        var parameters = new DynamicParameters(new { minute, fromMinute, settledMinute, now });
        AddList(parameters, "t", targets);
        AddList(parameters, "p", prefixes);
        var sql = ReadSql.GetOrAdd((targets.Count, prefixes.Count), counts => $"""
            SELECT target AS key, kind, 0 AS now_starts, 0 AS judged, 0 AS approvals
            FROM fraud_rules WHERE target IN ({List("t", counts.Targets)}) AND (until IS NULL OR until > @now)
            UNION ALL
            SELECT prefix, NULL,
                   CAST(SUM(CASE WHEN minute = @minute THEN starts ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN minute <= @settledMinute THEN starts ELSE approvals END) AS BIGINT),
                   CAST(SUM(approvals) AS BIGINT)
            FROM fraud_counters WHERE prefix IN ({List("p", counts.Prefixes)}) AND minute >= @fromMinute GROUP BY prefix
            """);
        return [.. await scope.Connection.QueryAsync<FraudRow>(sql, parameters, scope.Transaction)];
    }

    // Lists spelled out as parameters (Dapper would send a PostgreSQL array, which IN does not take); one text per
    // pair of lengths, so each is compiled or prepared once.
    private static readonly ConcurrentDictionary<(int Targets, int Prefixes), string> ReadSql = new();

    private static string List(string name, int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => "@" + name + i.ToString(CultureInfo.InvariantCulture)));

    private static void AddList(DynamicParameters parameters, string name, IReadOnlyList<string> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            parameters.Add(name + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }
    }

    /// <summary>Adds one start to each prefix's counter of <paramref name="minute"/>.</summary>
    public static Task CountStartAsync(WriteScope scope, IReadOnlyList<string> prefixes, long minute) =>
        scope.Connection.ExecuteAsync(StartUpserts[prefixes.Count], Parameters(prefixes, minute, scope.Shard), scope.Transaction);

    /// <summary>
    /// Adds one approval to each prefix's counter of the minute its verification started in, where that start was
    /// counted (a row exists): a safe-listed number's start was not, nor one whose counters were purged or taken out.
    /// </summary>
    public static Task CountApprovalAsync(WriteScope scope, IReadOnlyList<string> prefixes, long minute, int shard) =>
        scope.Connection.ExecuteAsync(ApprovalUpserts[prefixes.Count], Parameters(prefixes, minute, shard), scope.Transaction);

    /// <summary>
    /// Folds the shards of every minute before <paramref name="beforeMinute"/> into shard 0 (PostgreSQL only: one
    /// statement that adds exactly what it deletes), so a start's read of the window sums about one row per prefix and
    /// minute, not one per shard. Starts write only the current minute and approvals of older minutes go to shard 0, so
    /// nothing else writes the rows it deletes; its shard-0 rows are taken in prefix order, as an approval takes them.
    /// </summary>
    public static Task CompactAsync(WriteScope scope, long beforeMinute) => scope.Dialect.CounterShards == 1
        ? Task.CompletedTask
        : scope.Connection.ExecuteAsync("""
            WITH moved AS (DELETE FROM fraud_counters WHERE minute < @beforeMinute AND shard > 0 RETURNING prefix, minute, starts, approvals)
            INSERT INTO fraud_counters (prefix, minute, shard, starts, approvals)
            SELECT prefix, minute, 0, SUM(starts), SUM(approvals) FROM moved GROUP BY prefix, minute ORDER BY prefix, minute
            ON CONFLICT (prefix, minute, shard) DO UPDATE SET starts = fraud_counters.starts + excluded.starts, approvals = fraud_counters.approvals + excluded.approvals
            """, new { beforeMinute }, scope.Transaction);

    /// <summary>
    /// The guard's block of <paramref name="target"/> until <paramref name="until"/>, unless a rule is in force for it
    /// already (the operator's, or a block another start or instance made first). True when this call made it, so it is
    /// logged once.
    /// </summary>
    public static async Task<bool> TryBlockAsync(WriteScope scope, string target, long until, string evidence, long now) =>
        await scope.Connection.ExecuteScalarAsync<string?>("""
            INSERT INTO fraud_rules (target, kind, source, until, evidence, created_at) VALUES (@target, 'block', 'guard', @until, @evidence, @now)
            ON CONFLICT (target) DO UPDATE SET kind = 'block', source = 'guard', until = @until, evidence = @evidence, created_at = @now
            WHERE fraud_rules.source = 'guard' AND fraud_rules.until <= @now
            RETURNING target
            """, new { target, until, evidence, now }, scope.Transaction) is not null;

    /// <summary>
    /// Takes a prefix the guard just blocked out of the counts: its starts and approvals are subtracted from its shorter
    /// prefixes' (so the rest of its area and country is judged on its own, and its country's baseline no longer carries
    /// the attack), and its own and its longer prefixes' counters are deleted (so it starts clean when the block ends).
    /// </summary>
    public static async Task TakeOutAsync(WriteScope scope, string blocked, IReadOnlyList<string> shorter, long fromMinute)
    {
        if (shorter.Count > 0)
        {
            var parameters = new DynamicParameters(new { blocked, fromMinute });
            AddList(parameters, "s", shorter);
            await scope.Connection.ExecuteAsync($"""
                UPDATE fraud_counters SET
                    starts = starts - COALESCE((SELECT b.starts FROM fraud_counters b WHERE b.prefix = @blocked AND b.minute = fraud_counters.minute AND b.shard = fraud_counters.shard), 0),
                    approvals = approvals - COALESCE((SELECT b.approvals FROM fraud_counters b WHERE b.prefix = @blocked AND b.minute = fraud_counters.minute AND b.shard = fraud_counters.shard), 0)
                WHERE prefix IN ({List("s", shorter.Count)}) AND minute >= @fromMinute
                """, parameters, scope.Transaction);
        }

        // Digits sort before ':', so this range is the prefix and every longer one under it.
        await scope.Connection.ExecuteAsync(
            "DELETE FROM fraud_counters WHERE prefix >= @blocked AND prefix < @upper",
            new { blocked, upper = blocked + ":" }, scope.Transaction);
    }

    /// <summary>The operator's rule for <paramref name="target"/>, replacing whatever rule it had.</summary>
    public static Task SetRuleAsync(WriteScope scope, string target, string kind, long now) =>
        scope.Connection.ExecuteAsync("""
            INSERT INTO fraud_rules (target, kind, source, until, evidence, created_at) VALUES (@target, @kind, 'operator', NULL, NULL, @now)
            ON CONFLICT (target) DO UPDATE SET kind = @kind, source = 'operator', until = NULL, evidence = NULL, created_at = @now
            """, new { target, kind, now }, scope.Transaction);

    /// <summary>Removes the rule of <paramref name="kind"/> for <paramref name="target"/>; false when it had none in force.</summary>
    public static async Task<bool> RemoveRuleAsync(WriteScope scope, string target, string kind, long now) =>
        await scope.Connection.ExecuteAsync(
            "DELETE FROM fraud_rules WHERE target = @target AND kind = @kind AND (until IS NULL OR until > @now)",
            new { target, kind, now }, scope.Transaction) > 0;

    /// <summary>Every rule in force, newest first.</summary>
    public static async Task<IReadOnlyList<FraudRuleRow>> ListRulesAsync(DbConnection connection, long now) =>
        [.. await connection.QueryAsync<FraudRuleRow>(
            "SELECT target, kind, source, until, evidence, created_at FROM fraud_rules WHERE until IS NULL OR until > @now ORDER BY created_at DESC, target",
            new { now })];

    /// <summary>Counters of minutes before <paramref name="beforeMinute"/>, and guard blocks that ended.</summary>
    public static async Task PurgeAsync(WriteScope scope, long beforeMinute, long now)
    {
        await scope.Connection.ExecuteAsync("DELETE FROM fraud_counters WHERE minute < @beforeMinute", new { beforeMinute }, scope.Transaction);
        await scope.Connection.ExecuteAsync("DELETE FROM fraud_rules WHERE source = 'guard' AND until <= @now", new { now }, scope.Transaction);
    }

    // One shard for all of a start's (or an approval's) prefixes: each of its rows is then in the same shard as its
    // shorter prefixes' rows, which is what lets TakeOutAsync subtract shard by shard.
    private static DynamicParameters Parameters(IReadOnlyList<string> prefixes, long minute, int shard)
    {
        var parameters = new DynamicParameters(new { minute, shard });
        AddList(parameters, "p", prefixes);
        return parameters;
    }

    private static string CountSql(int prefixes) =>
        "INSERT INTO fraud_counters (prefix, minute, shard, starts, approvals) VALUES "
        + string.Join(", ", Enumerable.Range(0, prefixes).Select(i => $"(@p{i.ToString(CultureInfo.InvariantCulture)}, @minute, @shard, 1, 0)"))
        + " ON CONFLICT (prefix, minute, shard) DO UPDATE SET starts = fraud_counters.starts + 1";
}

/// <summary>One row of <see cref="FraudStore.ReadAsync"/>: a rule (<see cref="Kind"/> set) or a prefix's counts.</summary>
internal sealed class FraudRow
{
    public string Key { get; set; } = "";
    public string? Kind { get; set; }
    public long NowStarts { get; set; }
    public long Judged { get; set; }
    public long Approvals { get; set; }
}

/// <summary>A row of <c>fraud_rules</c>.</summary>
public sealed class FraudRuleRow
{
    public string Target { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Source { get; set; } = "";
    public long? Until { get; set; }
    public string? Evidence { get; set; }
    public long CreatedAt { get; set; }
}
