using Dapper;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The SQL of the <c>spend</c> table: per UTC day (days since the epoch), service, channel and region, the amount spent
/// in millionths of the currency. Charging and reading the sums happen in the caller's write transaction, after
/// <see cref="LockAsync"/>, so two instances cannot both pass a cap with the last of its budget (see
/// <c>SpendMeter.CheckAsync</c> for when the lock is shared).
/// </summary>
internal static class SpendStore
{
    /// <summary>Every transaction that spends takes this turn (on PostgreSQL; SQLite has one writer anyway).</summary>
    public static Task LockAsync(WriteScope scope, bool shared = false) => LimitStore.LockAsync(scope, "spend", shared);

    /// <summary>A service's and every service's spend on <paramref name="today"/> and from <paramref name="monthStart"/> on.</summary>
    public static Task<SpendSums> SumsAsync(WriteScope scope, string serviceId, long today, long monthStart) =>
        scope.Connection.QuerySingleAsync<SpendSums>("""
            SELECT COALESCE(SUM(CASE WHEN service_id = @serviceId AND day = @today THEN amount END), 0) AS service_day,
                   COALESCE(SUM(CASE WHEN service_id = @serviceId THEN amount END), 0) AS service_month,
                   COALESCE(SUM(CASE WHEN day = @today THEN amount END), 0) AS overall_day,
                   COALESCE(SUM(amount), 0) AS overall_month
            FROM spend WHERE day >= @monthStart
            """, new { serviceId, today, monthStart }, scope.Transaction);

    /// <summary>Adds one send of <paramref name="amount"/> to its day's row (one of the day's <see cref="SqlDialect.CounterShards"/>).</summary>
    public static Task ChargeAsync(WriteScope scope, long day, string serviceId, string channel, string region, long amount) =>
        scope.Connection.ExecuteAsync("""
            INSERT INTO spend (day, service_id, channel, region, shard, amount, sends) VALUES (@day, @serviceId, @channel, @region, @shard, @amount, 1)
            ON CONFLICT (day, service_id, channel, region, shard) DO UPDATE SET amount = spend.amount + excluded.amount, sends = spend.sends + 1
            """, new { day, serviceId, channel, region, shard = scope.Shard, amount }, scope.Transaction);

    /// <summary>
    /// Folds the shards of every day before <paramref name="today"/> into shard 0 (PostgreSQL only; one statement that
    /// adds exactly what it deletes), so a month's sums read about one row per day, service, channel and region. A charge
    /// racing it into an old day (a transaction that read the clock before midnight) waits, then writes a row of its
    /// own, folded by the next pass.
    /// </summary>
    public static Task CompactAsync(WriteScope scope, long today) => scope.Dialect.CounterShards == 1
        ? Task.CompletedTask
        : scope.Connection.ExecuteAsync("""
            WITH moved AS (DELETE FROM spend WHERE day < @today AND shard > 0 RETURNING day, service_id, channel, region, amount, sends)
            INSERT INTO spend (day, service_id, channel, region, shard, amount, sends)
            SELECT day, service_id, channel, region, 0, SUM(amount), SUM(sends) FROM moved GROUP BY day, service_id, channel, region ORDER BY day, service_id, channel, region
            ON CONFLICT (day, service_id, channel, region, shard) DO UPDATE SET amount = spend.amount + excluded.amount, sends = spend.sends + excluded.sends
            """, new { today }, scope.Transaction);

    /// <summary>What a queued send is charged by: its verification's service and region, its channel; null for no such send.</summary>
    public static Task<SendCharge?> FindSendAsync(WriteScope scope, long sendId) =>
        scope.Connection.QuerySingleOrDefaultAsync<SendCharge>(
            "SELECT v.service_id, v.region, s.channel FROM sends s JOIN verifications v ON v.id = s.verification_id WHERE s.id = @sendId",
            new { sendId }, scope.Transaction);

    /// <summary>Per service: spent on <paramref name="today"/> and from <paramref name="monthStart"/> on, with sends; for <c>GET /v1/spend</c>.</summary>
    public static async Task<IReadOnlyList<ServiceSpendRow>> ByServiceAsync(Database database, long today, long monthStart, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ServiceSpendRow>(new CommandDefinition("""
            SELECT service_id,
                   COALESCE(SUM(CASE WHEN day = @today THEN amount END), 0) AS today,
                   COALESCE(SUM(CASE WHEN day = @today THEN sends END), 0) AS sends_today,
                   SUM(amount) AS month, SUM(sends) AS sends_month
            FROM spend WHERE day >= @monthStart GROUP BY service_id ORDER BY service_id
            """, new { today, monthStart }, cancellationToken: cancellationToken))];
    }

}

/// <summary>What <see cref="SpendStore.SumsAsync"/> reads, in millionths.</summary>
internal sealed class SpendSums
{
    public long ServiceDay { get; set; }
    public long ServiceMonth { get; set; }
    public long OverallDay { get; set; }
    public long OverallMonth { get; set; }

    /// <summary>The sums once a send of <paramref name="amount"/> (of this service, today) is charged.</summary>
    public void Add(long amount)
    {
        ServiceDay += amount;
        ServiceMonth += amount;
        OverallDay += amount;
        OverallMonth += amount;
    }
}

/// <summary>What <see cref="SpendStore.FindSendAsync"/> reads.</summary>
internal sealed class SendCharge
{
    public string ServiceId { get; set; } = "";
    public string Region { get; set; } = "";
    public string Channel { get; set; } = "";
}

/// <summary>One service's row of <see cref="SpendStore.ByServiceAsync"/>, in millionths.</summary>
internal sealed class ServiceSpendRow
{
    public string ServiceId { get; set; } = "";
    public long Today { get; set; }
    public long SendsToday { get; set; }
    public long Month { get; set; }
    public long SendsMonth { get; set; }
}
