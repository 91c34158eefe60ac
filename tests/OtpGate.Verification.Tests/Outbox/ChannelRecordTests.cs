using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

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

/// <summary>The lifecycle takes each outcome of the port the same way whichever channel answers: a second channel proves it.</summary>
public sealed class SecondChannelTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(Engine Engine, SecondChannel Channel)> StartWithSecondChannelAsync(Func<int, CodeSendOutcome> answer)
    {
        var channel = new SecondChannel("sms", answer);
        var engine = await Engine.StartAsync(services: s => s.AddSingleton<ICodeChannel>(channel));
        return (engine, channel);
    }

    // As a start would record it once it can choose the channel: the verification, and so every send it queues.
    private static async Task MoveToAsync(Engine engine, string channel)
    {
        await engine.ScalarAsync<long>("UPDATE verifications SET channel = @channel RETURNING 0", new { channel });
        await engine.ScalarAsync<long>("UPDATE sends SET channel = @channel RETURNING 0", new { channel });
    }

    [Fact]
    public async Task A_send_recorded_for_the_second_channel_goes_out_through_it_with_the_stored_number()
    {
        var (engine, channel) = await StartWithSecondChannelAsync(_ => new CodeAccepted("sms-1"));
        await using var _ = engine;
        var id = await engine.StartVerificationAsync("+44 20 7946 0958");
        await MoveToAsync(engine, "sms");

        await engine.Dispatcher.DispatchDueAsync(None);

        var sent = Assert.Single(channel.Sent);
        Assert.Equal(new PhoneNumber("442079460958", "GB"), sent.Phone);
        Assert.Equal(await engine.ReadCodeAsync(id), sent.Code);
        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal("sms-1", snapshot.Sends[0].MessageId);
        Assert.Equal(SendStatus.Accepted.ToWireName(), snapshot.Sends[0].Status);
    }

    [Fact]
    public async Task A_refusal_for_now_is_tried_again_later_and_a_permanent_one_fails_the_verification()
    {
        var (engine, _) = await StartWithSecondChannelAsync(n => new CodeRejected(FailureReason.Rejected, Permanent: n > 1, "busy"));
        await using var __ = engine;
        var id = await engine.StartVerificationAsync();
        await MoveToAsync(engine, "sms");

        await engine.Dispatcher.DispatchDueAsync(None);
        var retrying = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(VerificationStatus.Pending, retrying.Status);
        Assert.Contains(retrying.Timeline, t => t.Kind == "send_retry" && t.Detail!.StartsWith("sms refused it for now (rejected); retrying in", StringComparison.Ordinal));

        engine.Time.Advance(TimeSpan.FromMinutes(1));
        await engine.Dispatcher.DispatchDueAsync(None);
        var failed = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(VerificationStatus.Failed, failed.Status);
        Assert.Equal(FailureReason.Rejected.ToWireName(), failed.FailureReason);
    }

    [Fact]
    public async Task Delivery_news_reaches_a_send_of_any_channel_and_a_temporary_failure_sends_the_same_code_again()
    {
        var (engine, channel) = await StartWithSecondChannelAsync(n => new CodeAccepted($"sms-{n}"));
        await using var _ = engine;
        var id = await engine.StartVerificationAsync();
        await MoveToAsync(engine, "sms");
        await engine.Dispatcher.DispatchDueAsync(None);

        await engine.Intake.IngestAsync(
            [new DeliveryNews("sms-1", DeliveryEvent.Failed, null, new DeliveryFailure(FailureReason.DeliveryFailed, Temporary: true, "carrier busy", 42))], None);
        engine.Time.Advance(TimeSpan.FromMinutes(1));
        await engine.Dispatcher.DispatchDueAsync(None);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        Assert.Equal(VerificationStatus.Pending, snapshot.Status);
        Assert.Equal([SendReason.Start.ToWireName(), SendReason.DeliveryRetry.ToWireName()], snapshot.Sends.Select(s => s.Reason));
        Assert.Equal(2, channel.Sent.Count);
        Assert.Equal(channel.Sent[0].Code, channel.Sent[1].Code);
    }
}
