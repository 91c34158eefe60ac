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

/// <summary>
/// One POST the receiver got. <see cref="Arrival"/> and <see cref="Answered"/> come from one counter
/// shared by every request, so they order arrivals against answers across concurrent requests.
/// </summary>
public sealed record ReceivedCallback(string Path, JsonNode Body, TimeSpan At, long Arrival)
{
    public long Answered { get; set; } = long.MaxValue;

    /// <summary>The status events in the body, in order: normalised <c>ack[]</c> or raw Meta <c>statuses[]</c> (none in an echo).</summary>
    public IReadOnlyList<CallbackEvent> Events =>
        [.. (Body["ack"]?.AsArray() ?? Body["entry"]?[0]?["changes"]?[0]?["value"]?["statuses"]?.AsArray() ?? [])
            .Select(e => new CallbackEvent(e!["id"]!.GetValue<string>(), e["status"]!.GetValue<string>(), this))];
}

/// <summary>One status event and the request that carried it.</summary>
public sealed record CallbackEvent(string Id, string Status, ReceivedCallback Request);

/// <summary>
/// A tiny real Kestrel app that records every POST. <see cref="Respond"/> decides the answer per path
/// and attempt number (1-based); a negative value means "hang for that many milliseconds, then 200".
/// A request <see cref="HoldWhen"/> accepts is held (after it is recorded) until <see cref="Release"/>.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sequence;
    private int _held;

    private CallbackReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedCallback> Received { get; } = new();

    public Func<string, int, int> Respond { get; set; } = (_, _) => 200;

    public Func<ReceivedCallback, bool> HoldWhen { get; set; } = _ => false;

    /// <summary>Requests held right now.</summary>
    public int Held => Volatile.Read(ref _held);

    public string BaseUrl { get; private set; } = "";

    /// <summary>Answers every held request, and every later one without holding it.</summary>
    public void Release() => _gate.TrySetResult();

    /// <summary>The most requests to a path that were being handled at the same time.</summary>
    public int MaxInFlight(string path) => _maxInFlight.GetValueOrDefault("/" + path);

    /// <summary>The status events a path got, in the order their requests arrived.</summary>
    public IReadOnlyList<CallbackEvent> Events(string path) => [.. At(path).OrderBy(r => r.Arrival).SelectMany(r => r.Events)];

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
        var inFlight = _inFlight.AddOrUpdate(path, 1, (_, n) => n + 1);
        _maxInFlight.AddOrUpdate(path, inFlight, (_, n) => Math.Max(n, inFlight));
        var received = new ReceivedCallback(path, body!, _clock.Elapsed, Interlocked.Increment(ref _sequence));
        Received.Enqueue(received);
        try
        {
            var attempt = _attempts.AddOrUpdate(path, 1, (_, n) => n + 1);
            var status = Respond(path.TrimStart('/'), attempt);
            if (status < 0)
            {
                await Task.Delay(-status, context.RequestAborted);
                status = 200;
            }

            if (HoldWhen(received))
            {
                Interlocked.Increment(ref _held);
                try
                {
                    await _gate.Task.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                }
            }

            return Results.StatusCode(status);
        }
        finally
        {
            _inFlight.AddOrUpdate(path, 0, (_, n) => n - 1);
            received.Answered = Interlocked.Increment(ref _sequence);
        }
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
