using Microsoft.Extensions.Time.Testing;

namespace OtpGate.Sandbox.Tests.Support;

/// <summary>A started <see cref="SandboxServer"/> with an API client, optionally on a FakeTimeProvider.</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private TestSandbox(SandboxServer server, FakeTimeProvider? time)
    {
        Server = server;
        Time = time;
        Api = new SandboxApi(server.BaseUrl, server.ChannelId, server.Token);
    }

    public SandboxServer Server { get; }

    public FakeTimeProvider? Time { get; }

    public SandboxApi Api { get; }

    public OtpGate.Sandbox.Messages.SandboxMessages Messages => Server.Messages;

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A sandbox on the real clock (fast timings unless the test sets others). Message echoes are off unless the test
    /// turns them on: most tests here count and order status callbacks, and the echo tests say so themselves.
    /// </summary>
    public static async Task<TestSandbox> StartAsync(Action<SandboxOptions>? configure = null) =>
        new(await SandboxServer.StartAsync(o => { Fast(o); o.MessageEchoes = false; configure?.Invoke(o); }), null);

    /// <summary>A sandbox on a FakeTimeProvider with the default timings unless the test sets others (echoes off, as above).</summary>
    public static async Task<TestSandbox> StartFakeTimeAsync(Action<SandboxOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        return new(await SandboxServer.StartAsync(o => { o.RateLimitPerSecond = 1000; o.MessageEchoes = false; configure?.Invoke(o); }, time), time);
    }

    public static void Fast(SandboxOptions o)
    {
        o.SentAfter = TimeSpan.FromMilliseconds(20);
        o.DeliveredAfter = TimeSpan.FromMilliseconds(40);
        o.ReadAfter = TimeSpan.FromMilliseconds(60);
        o.SlowDeliveryAfter = TimeSpan.FromMilliseconds(300);
        o.HangDuration = TimeSpan.FromMilliseconds(500);
        o.WebhookRetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];
        o.WebhookTimeout = TimeSpan.FromSeconds(1);
        o.RateLimitPerSecond = 1000;
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
