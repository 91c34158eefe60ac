using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OtpGate.Sandbox.Tests.Support;

/// <summary>One POST the receiver got.</summary>
public sealed record ReceivedCallback(string Path, JsonNode Body, TimeSpan At);

/// <summary>
/// A tiny real Kestrel app that records every POST. <see cref="Respond"/> decides the answer per path
/// and attempt number (1-based); a negative value means "hang for that many milliseconds, then 200".
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    private CallbackReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedCallback> Received { get; } = new();

    public Func<string, int, int> Respond { get; set; } = (_, _) => 200;

    public string BaseUrl { get; private set; } = "";

    public string Url(string path) => $"{BaseUrl}/{path}";

    public IReadOnlyList<ReceivedCallback> At(string path) => [.. Received.Where(r => r.Path == "/" + path)];

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.UseRouting();
        app.MapPost("/{**path}", (Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.TrimEnd('/');
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.ToString();
        var body = await JsonNode.ParseAsync(context.Request.Body);
        Received.Enqueue(new ReceivedCallback(path, body!, _clock.Elapsed));
        var attempt = _attempts.AddOrUpdate(path, 1, (_, n) => n + 1);
        var status = Respond(path.TrimStart('/'), attempt);
        if (status < 0)
        {
            await Task.Delay(-status, context.RequestAborted);
            status = 200;
        }

        return Results.StatusCode(status);
    }

    /// <summary>A loopback URL where nothing listens (connection refused).</summary>
    public static string RefusingUrl()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/hook";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
