using OtpGate.Verification.Contract;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Maintenance;

public sealed class MaintenanceTests
{
    [Fact]
    public async Task The_sweep_expires_pending_verifications_erases_their_codes_and_cancels_their_sends()
    {
        await using var engine = await Engine.StartAsync();
        var stale = await engine.StartVerificationAsync("+1 212 555 0100");
        engine.Time.Advance(TimeSpan.FromMinutes(5));
        var fresh = await engine.StartVerificationAsync("+1 212 555 0111");
        engine.Time.Advance(TimeSpan.FromMinutes(5));

        var expired = await engine.Maintenance.SweepAsync(CancellationToken.None);

        Assert.Equal(1, expired);
        Assert.Equal(VerificationStatus.Expired, (await engine.Verifications.GetAsync(Engine.Owner, stale, CancellationToken.None))!.Status);
        Assert.Equal(VerificationStatus.Pending, (await engine.Verifications.GetAsync(Engine.Owner, fresh, CancellationToken.None))!.Status);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications WHERE id = @stale AND (code_mac IS NOT NULL OR code_cipher IS NOT NULL)", new { stale }));
        Assert.Equal("canceled", await engine.ScalarAsync<string>("SELECT job_state FROM sends WHERE verification_id = @stale", new { stale }));
    }

    [Fact]
    public async Task Ended_verifications_are_purged_after_the_retention()
    {
        await using var engine = await Engine.StartAsync(o => o.Retention = TimeSpan.FromDays(2));
        var id = await engine.StartVerificationAsync();
        await engine.Verifications.CancelAsync(Engine.Owner, id, CancellationToken.None);

        engine.Time.Advance(TimeSpan.FromDays(1));
        await engine.Maintenance.SweepAsync(CancellationToken.None);
        var kept = await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications");
        engine.Time.Advance(TimeSpan.FromDays(1.5));
        await engine.Maintenance.SweepAsync(CancellationToken.None);

        Assert.Equal(1L, kept);
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM verifications"));
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends"));
        Assert.Equal(0L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM limit_events"));
    }
}
