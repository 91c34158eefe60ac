using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Outbox;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Outbox;

public sealed class PacingAndGiveUpTests
{
    [Fact]
    public async Task Sends_are_spaced_to_the_channel_rate()
    {
        var time = new FakeTimeProvider();
        var pacer = new SendPacer(10, time);

        var turns = Enumerable.Range(0, 3).Select(_ => pacer.WaitTurnAsync(TestContext.Current.CancellationToken).AsTask()).ToList();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var first = turns.Count(t => t.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        var second = turns.Count(t => t.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));
        await Task.WhenAll(turns);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
    }

    [Fact]
    public async Task When_1msg_stays_unreachable_the_verification_fails_visibly_before_its_code_expires()
    {
        await using var engine = await Engine.StartAsync(); // the 1MSG client points at a closed port
        var id = await engine.StartVerificationAsync();

        for (var i = 0; i < 40 && (await engine.Verifications.GetAsync(Engine.Owner, id, CancellationToken.None))!.Status == VerificationStatus.Pending; i++)
        {
            await engine.Dispatcher.DispatchDueAsync(CancellationToken.None);
            // Jump to the retry's due time, as the running dispatcher would wake for it.
            var due = await engine.ScalarAsync<long?>("SELECT MIN(due_at) FROM sends WHERE job_state = 'queued'");
            if (due is { } at && at > engine.Time.GetUtcNow().ToUnixTimeMilliseconds())
            {
                engine.Time.SetUtcNow(DateTimeOffset.FromUnixTimeMilliseconds(at));
            }
        }

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, CancellationToken.None))!;
        Assert.Equal(VerificationStatus.Failed, snapshot.Status);
        Assert.Equal(FailureReason.ProviderUnavailable.ToWireName(), snapshot.FailureReason);
        Assert.Contains(snapshot.Timeline, t => t.Kind == "send_retry");
        Assert.True(snapshot.EndedAt < snapshot.ExpiresAt);
    }
}
