using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Telemetry;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Delivery;

/// <summary>
/// Statuses for message ids no send has are kept only until their send could plausibly be recorded: for hours, not the
/// 30-day retention, and at most so many at once, the oldest going first. Anyone with the webhook secret can post them.
/// </summary>
public sealed class UnknownReceiptTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static StatusEvent Status(string messageId, DeliveryStatus status = DeliveryStatus.Delivered) =>
        new(messageId, status, status.ToString().ToLowerInvariant(), null, null, null, null);

    private static Task<int> IngestBogusAsync(Engine engine, string prefix, int count) =>
        engine.IngestAsync([.. Enumerable.Range(0, count).Select(i => Status($"wamid.{prefix}-{i:D3}"))], None);

    private static Task<long> UnknownCountAsync(Engine engine) => engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE applied = 0");

    [Fact]
    public async Task Statuses_for_unknown_message_ids_are_kept_for_hours_while_known_ones_stay_for_the_retention()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        await engine.ScalarAsync<long>("UPDATE sends SET message_id = 'wamid.known', delivery_status = 'accepted' RETURNING 0");
        await engine.IngestAsync([Status("wamid.known"), Status("wamid.nobody-knows")], None);

        engine.Time.Advance(TimeSpan.FromHours(5));
        await engine.Maintenance.SweepAsync(None);
        var after5Hours = await UnknownCountAsync(engine);
        engine.Time.Advance(TimeSpan.FromHours(1.5));
        await engine.Maintenance.SweepAsync(None);

        Assert.Equal(1L, after5Hours);
        Assert.Equal(0L, await UnknownCountAsync(engine));
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE message_id = 'wamid.known' AND applied = 1"));
        Assert.NotNull(await engine.Verifications.GetAsync(Engine.Owner, id, None));
    }

    [Fact]
    public async Task Past_the_cap_the_oldest_unknown_statuses_go_and_a_real_early_status_still_applies_when_its_send_is_recorded()
    {
        await using var engine = await Engine.StartAsync(o => o.MaxUnknownReceipts = 10);
        using var dropped = new MetricCollector<long>(engine.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            VerificationMetrics.MeterName, "otpgate.receipts.unknown_dropped");
        var id = await engine.StartVerificationAsync();

        await IngestBogusAsync(engine, "flood-a", 8);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        // 1MSG's "delivered" arrives before the dispatcher has recorded the message id it was just given.
        await engine.IngestAsync([Status("wamid.real")], None);
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await IngestBogusAsync(engine, "flood-b", 8);
        var kept = await UnknownCountAsync(engine);
        await using (var scope = await engine.Database.BeginWriteAsync(None))
        {
            await scope.Connection.ExecuteAsync("UPDATE sends SET message_id = 'wamid.real', delivery_status = 'accepted'", transaction: scope.Transaction);
            await engine.Intake.ReconcileAsync(scope, "wamid.real", engine.Time.GetUtcNow().ToUnixTimeMilliseconds());
            await scope.CommitAsync(None);
        }

        Assert.Equal(10L, kept);
        Assert.Equal(1L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE message_id LIKE 'wamid.flood-a-%'"));
        Assert.Equal(8L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM delivery_receipts WHERE message_id LIKE 'wamid.flood-b-%'"));
        Assert.Equal("delivered", (await engine.Verifications.GetAsync(Engine.Owner, id, None))!.DeliveryStatus);
        Assert.Equal(7, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task When_the_cap_bites_the_log_says_so_once_per_five_minutes_with_the_number_dropped()
    {
        await using var engine = await Engine.StartAsync(o => o.MaxUnknownReceipts = 10);
        bool IsReport(string line) => line.Contains("delivery statuses for message ids no send has were dropped", StringComparison.Ordinal);

        await IngestBogusAsync(engine, "a", 12); // 2 over
        engine.Time.Advance(TimeSpan.FromSeconds(1));
        await IngestBogusAsync(engine, "b", 3); // 3 more, within the period: counted, not said
        var reportsThen = engine.Logs.Lines.Where(IsReport).ToList();
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        await IngestBogusAsync(engine, "c", 1); // said again, with everything since the last line

        var reports = engine.Logs.Lines.Where(IsReport).ToList();
        Assert.Equal(10L, await UnknownCountAsync(engine));
        Assert.Single(reportsThen);
        Assert.StartsWith("Warning OtpGate.Verification.Delivery.UnknownReceipts: 2 delivery statuses", reportsThen[0], StringComparison.Ordinal);
        Assert.Equal(2, reports.Count);
        Assert.StartsWith("Warning OtpGate.Verification.Delivery.UnknownReceipts: 4 delivery statuses", reports[1], StringComparison.Ordinal);
    }
}
