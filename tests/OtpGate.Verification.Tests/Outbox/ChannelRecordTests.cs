using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>A verification and each of its sends record the channel that carried them, and a send goes out through that one.</summary>
public sealed class ChannelRecordTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_verification_and_its_sends_record_their_channel()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        engine.Time.Advance(TimeSpan.FromMinutes(3));
        var resent = await engine.Verifications.ResendAsync(Engine.Owner, id, None);
        Assert.Null(resent.Refusal);

        Assert.Equal("whatsapp", await engine.ScalarAsync<string>("SELECT channel FROM verifications WHERE id = @id", new { id }));
        Assert.Equal(2L, await engine.ScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE verification_id = @id AND channel = 'whatsapp'", new { id }));
    }

    [Fact]
    public async Task A_send_goes_out_through_the_channel_it_recorded_and_fails_visibly_when_there_is_none_of_that_name()
    {
        await using var engine = await Engine.StartAsync();
        var id = await engine.StartVerificationAsync();
        await engine.ScalarAsync<long>("UPDATE sends SET channel = 'sms' RETURNING 0");

        await engine.Dispatcher.DispatchDueAsync(None);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal("send_failed", snapshot.FailureReason);
        Assert.Contains(snapshot.Timeline, t => t.Kind == "send_failed" && t.Detail!.Contains("No channel named \"sms\"", StringComparison.Ordinal));
    }
}
