using Microsoft.Extensions.DependencyInjection;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Outbox;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Stopping_the_dispatcher_lets_a_send_in_flight_finish_and_records_it()
    {
        // 12125550106 holds its answer: the send is in flight when the host asks the dispatcher to stop.
        await using var sandbox = await SandboxServer.StartAsync(o => o.HangDuration = TimeSpan.FromSeconds(1), cancellationToken: TestContext.Current.CancellationToken);
        // The attempt timeout far above the hang: the send's fate is "accepted" however slow a loaded machine is (with
        // the suite's 2 s, a hang of 1 s plus a busy machine ran out, and the send was recorded as an unclear outcome).
        await using var engine = await Engine.StartAsync(sandbox: sandbox, time: TimeProvider.System,
            services: s => s.PostConfigure<OneMsgOptions>(o => o.AttemptTimeout = TimeSpan.FromSeconds(30)));
        var id = await engine.StartVerificationAsync("+1 212 555 0106");
        await engine.Dispatcher.StartAsync(TestContext.Current.CancellationToken);
        await sandbox.Messages.WaitForMessageAsync("12125550106", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, engine.Dispatcher.InFlight);

        await engine.Dispatcher.StopAsync(TestContext.Current.CancellationToken);

        var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, TestContext.Current.CancellationToken))!;
        Assert.Equal(0, engine.Dispatcher.InFlight);
        Assert.NotNull(snapshot.Sends[0].MessageId); // accepted and recorded before the stop returned
    }
}
