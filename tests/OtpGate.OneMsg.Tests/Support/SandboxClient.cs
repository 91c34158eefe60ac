using OtpGate.Sandbox;

namespace OtpGate.OneMsg.Tests.Support;

/// <summary>A real sandbox (1MSG's stand-in, over loopback HTTP) and a client built as applications build it, pointed at it.</summary>
public sealed class SandboxClient : IAsyncDisposable
{
    private readonly ClientHarness _harness;

    private SandboxClient(SandboxServer sandbox, ClientHarness harness)
    {
        Sandbox = sandbox;
        _harness = harness;
    }

    public SandboxServer Sandbox { get; }

    public OneMsgClient Client => _harness.Client;

    public static async Task<SandboxClient> StartAsync(Action<SandboxOptions>? configure = null)
    {
        var sandbox = await SandboxServer.StartAsync(o =>
        {
            o.ChannelId = ScriptedServer.ChannelId;
            o.Token = ClientHarness.Token;
            o.RateLimitPerSecond = 1000;
            configure?.Invoke(o);
        }, cancellationToken: TestContext.Current.CancellationToken);
        return new SandboxClient(sandbox, ClientHarness.Create(sandbox.BaseUrl));
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
