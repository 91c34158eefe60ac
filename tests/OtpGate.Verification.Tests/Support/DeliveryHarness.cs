using OtpGate.Sandbox;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Support;

/// <summary>A sandbox with short delays and an engine sending to it, and a way to run the engine's passes until something happens.</summary>
public static class DeliveryHarness
{
    public static Task<SandboxServer> StartSandboxAsync(TimeProvider? time = null) => SandboxServer.StartAsync(o =>
    {
        o.SentAfter = TimeSpan.FromMilliseconds(50);
        o.DeliveredAfter = TimeSpan.FromMilliseconds(100);
        o.ReadAfter = TimeSpan.FromMilliseconds(150);
        o.SlowDeliveryAfter = TimeSpan.FromMilliseconds(600);
        o.HangDuration = TimeSpan.FromSeconds(3); // longer than the engine's 2 s attempt timeout: ambiguous
    }, time);

    public static Task<Engine> StartEngineAsync(SandboxServer sandbox, TimeProvider? time = null, Action<VerificationOptions>? configure = null) => Engine.StartAsync(o =>
    {
        o.Dispatch.StatusPollAfter = TimeSpan.FromMilliseconds(1);
        o.Dispatch.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        o.Dispatch.ChannelRatePerSecond = 1000;
        configure?.Invoke(o);
    }, sandbox, time ?? TimeProvider.System);

    /// <summary>Runs the dispatcher and the status poller until <paramref name="done"/> holds (or 10 s pass); returns the verification.</summary>
    public static async Task<VerificationSnapshot> PollUntilAsync(Engine engine, string id, Func<VerificationSnapshot, bool> done)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(10);
        while (true)
        {
            await engine.Dispatcher.DispatchDueAsync(CancellationToken.None);
            await engine.Poller.PollDueAsync(CancellationToken.None);
            var snapshot = (await engine.Verifications.GetAsync(Engine.Owner, id, CancellationToken.None))!;
            if (done(snapshot) || TimeProvider.System.GetUtcNow() > deadline)
            {
                return snapshot;
            }

            await Task.Delay(50);
        }
    }
}
