using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// A send that outlasts its claim's lease (a slow channel, a starved CPU) is still sent once: the lease is extended
/// while the send is in flight, and only a dead instance's jobs are taken over. The sandbox's hanging number holds
/// the answer on the clock shared with the engines, so the send is in flight for as long as the test says.
/// </summary>
public sealed class LeaseTests
{
    private const string Hanging = "+1 212 555 0106";
    private const string HangingDigits = "12125550106";
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Trait("Storage", "postgres-only")]
    public async Task A_send_outlasting_its_lease_is_not_taken_over_by_another_instance()
    {
        var time = NewClock();
        await using var sandbox = await StartSandboxAsync(time);
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        try
        {
            var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = connectionString };
            await using var first = await StartEngineAsync(sandbox, time, settings);
            await using var second = await StartEngineAsync(sandbox, time, settings);
            var id = await first.StartVerificationAsync(Hanging);
            try
            {
                Assert.Equal(1, await first.Dispatcher.DispatchAvailableAsync(None));
                await sandbox.Messages.WaitForMessageAsync(HangingDigits, cancellationToken: TestContext.Current.CancellationToken);
                time.Advance(Lease * 2 / 3);
                await first.Dispatcher.DispatchAvailableAsync(None); // the first instance's next pass, its send still in flight
                time.Advance(Lease / 2); // past the claim's first lease, before the sandbox answers

                Assert.Equal(0, await second.Dispatcher.DispatchAvailableAsync(None));
                Assert.Equal(1, sandbox.Messages.GetRequestCount(HangingDigits));
                await AnswerAndCheckSentOnceAsync(time, sandbox, first, id);
            }
            finally
            {
                ReleaseHeldAnswers(time);
            }
        }
        finally
        {
            await drop();
        }
    }

    [Fact]
    public async Task A_send_outlasting_its_lease_is_not_sent_again_by_its_own_instance()
    {
        var time = NewClock();
        await using var sandbox = await StartSandboxAsync(time);
        await using var engine = await StartEngineAsync(sandbox, time);
        var id = await engine.StartVerificationAsync(Hanging);
        try
        {
            Assert.Equal(1, await engine.Dispatcher.DispatchAvailableAsync(None));
            await sandbox.Messages.WaitForMessageAsync(HangingDigits, cancellationToken: TestContext.Current.CancellationToken);
            time.Advance(Lease + TimeSpan.FromSeconds(5)); // a starved process: its next pass comes after the lease ran out

            Assert.Equal(0, await engine.Dispatcher.DispatchAvailableAsync(None));
            Assert.Equal(1, sandbox.Messages.GetRequestCount(HangingDigits));
            await AnswerAndCheckSentOnceAsync(time, sandbox, engine, id);
        }
        finally
        {
            ReleaseHeldAnswers(time);
        }
    }

    /// <summary>
    /// Releases every answer the sandbox holds (a failed test may leave a second send hanging), so that stopping the
    /// sandbox does not wait for it. Nothing is dispatched any more: a resend queued by a timeout stays queued.
    /// </summary>
    private static void ReleaseHeldAnswers(FakeTimeProvider time) => time.Advance(TimeSpan.FromMinutes(2));

    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    // The sandbox holds the answer for 40 s, beyond the 30 s lease; the client waits up to 60 s for it.
    private static Task<SandboxServer> StartSandboxAsync(FakeTimeProvider time) =>
        SandboxServer.StartAsync(o => o.HangDuration = TimeSpan.FromSeconds(40), time);

    private static Task<Engine> StartEngineAsync(SandboxServer sandbox, FakeTimeProvider time, Dictionary<string, string?>? settings = null) =>
        Engine.StartAsync(o => o.Dispatch.Lease = Lease, sandbox, time, settings,
            services => services.PostConfigure<OneMsgOptions>(o => o.AttemptTimeout = TimeSpan.FromSeconds(60)));

    private static async Task AnswerAndCheckSentOnceAsync(FakeTimeProvider time, SandboxServer sandbox, Engine engine, string id)
    {
        time.Advance(TimeSpan.FromSeconds(10)); // the sandbox answers the first send now
        await engine.Dispatcher.DispatchDueAsync(None);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, None))!;
        var send = Assert.Single(snapshot.Sends);
        Assert.Equal(SendStatus.Accepted.ToWireName(), send.Status);
        Assert.Equal(1, sandbox.Messages.GetRequestCount(HangingDigits));
    }
}
