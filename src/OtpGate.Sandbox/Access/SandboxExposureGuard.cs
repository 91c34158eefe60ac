using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Access;

/// <summary>Set by <c>MapOneMsgSandbox</c>: a host may register the sandbox without mapping it, and then it listens for no one.</summary>
internal sealed class SandboxMount
{
    public bool IsMapped { get; set; }
}

/// <summary>
/// Stops the host from starting when the mounted sandbox listens beyond loopback without
/// <see cref="SandboxOptions.AllowRemoteAccess"/>. It reads the addresses the server actually bound, once it has bound
/// them, because they come from many places (<c>--urls</c>, <c>URLS</c>, <c>HTTP_PORTS</c>, <c>Kestrel:Endpoints</c>,
/// code); in the moment between binding and stopping, the local-only filter refuses every request from elsewhere.
/// </summary>
internal sealed class SandboxExposureGuard(SandboxMount mount, IOptions<SandboxOptions> options, IServiceProvider services) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (!mount.IsMapped || options.Value.AllowRemoteAccess)
        {
            return Task.CompletedTask;
        }

        // No server (a worker host) or no addresses (an in-memory test server): nothing listens on a network.
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !SandboxAccess.IsLocalOnly(a)).ToList();
        return exposed.Count == 0 ? Task.CompletedTask : throw new SandboxExposureException(SandboxAccess.ExposedMessage(exposed));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
