using Microsoft.Extensions.DependencyInjection;
using OtpGate.OneMsg;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Client;

/// <summary>The OtpGate.OneMsg client built as applications build it, pointed at a test sandbox.</summary>
internal static class SandboxClients
{
    public static ServiceProvider For(TestSandbox sandbox, Action<OneMsgOptions>? tune = null) => new ServiceCollection()
        .AddLogging()
        .AddOneMsgClient(o =>
        {
            o.BaseUrl = sandbox.Server.BaseUrl;
            o.ChannelId = sandbox.Server.ChannelId;
            o.Token = sandbox.Server.Token;
            tune?.Invoke(o);
        })
        .Services.BuildServiceProvider();
}
