using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox;

/// <summary>
/// A sandbox on a real Kestrel at <c>http://127.0.0.1:{free port}</c>, for tests and scripts of any
/// project. Point a 1MSG client at <see cref="BaseUrl"/> with <see cref="ChannelId"/> and
/// <see cref="Token"/>; read what was sent from <see cref="Messages"/>.
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SandboxServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
        var options = app.Services.GetRequiredService<IOptions<SandboxOptions>>().Value;
        ChannelId = options.ChannelId;
        Token = options.Token;
    }

    /// <summary>The API base, the server root (for example <c>http://127.0.0.1:41234/</c>): the 1MSG client calls <c>{BaseUrl}/{ChannelId}/sendTemplate</c>.</summary>
    public Uri BaseUrl { get; }

    public string ChannelId { get; }

    public string Token { get; }

    /// <summary>The inbox page.</summary>
    public Uri InboxUrl => new(BaseUrl, "inbox");

    public IServiceProvider Services => _app.Services;

    /// <summary>What reached the sandbox (messages, codes, statuses, request counts per phone).</summary>
    public SandboxMessages Messages => _app.Services.GetRequiredService<SandboxMessages>();

    /// <summary>Starts a sandbox; <paramref name="timeProvider"/> (e.g. a FakeTimeProvider shared with the code under test) drives every delay and timestamp.</summary>
    public static async Task<SandboxServer> StartAsync(
        Action<SandboxOptions>? configure = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        // An empty builder: no appsettings or environment variables of whatever process hosts the test.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddOneMsgSandbox(configure);
        var app = builder.Build();
        app.UseRouting();
        app.MapOneMsgSandbox();
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
