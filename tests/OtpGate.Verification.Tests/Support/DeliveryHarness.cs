using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Sandbox;
using OtpGate.Verification.Outbox;
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

    /// <summary>
    /// <see cref="StartEngineAsync"/> on a fake clock that passes send many messages in one pass: the pacer spaces sends on
    /// the real clock (1 ms apart), since a clock that only moves when told would hold every send after the first.
    /// </summary>
    public static Task<Engine> StartEngineOnFakeClockAsync(SandboxServer sandbox, FakeTimeProvider time) => Engine.StartAsync(o =>
    {
        o.Dispatch.StatusPollAfter = TimeSpan.FromMilliseconds(1);
        o.Dispatch.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        o.Dispatch.ChannelRatePerSecond = 1000;
    }, sandbox, time, services: s => s.Replace(ServiceDescriptor.Singleton(new SendPacer(1000, TimeProvider.System))));

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
