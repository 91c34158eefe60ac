using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OtpGate.OneMsg.Tests.Support;

/// <summary>A scripted answer: status, body, headers, and how long to wait before answering.</summary>
public sealed record Scripted(int Status, string Body, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Scripted Json(int status, string body) => new(status, body);
}

/// <summary>One request as the server saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? Authorization, string? ContentType, string Body)
{
    /// <summary>The 1MSG method: the last path segment (<c>sendTemplate</c>, <c>templates</c>, …).</summary>
    public string ApiMethod => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>
/// A real HTTP server on loopback (Kestrel) that records every request and answers from a script per 1MSG
/// method: queued one-shot answers first, then a standing handler, then 404.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    public const string ChannelId = "359900";
    public const string BasePath = "/sandbox";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Scripted>> _queued = new();
    private readonly ConcurrentDictionary<string, Func<RecordedRequest, Scripted>> _standing = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public IReadOnlyList<RecordedRequest> RequestsTo(string apiMethod) => [.. _requests.Where(r => r.ApiMethod == apiMethod)];

    public static async Task<ScriptedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var server = new ScriptedServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + BasePath);
        return server;
    }

    public void Enqueue(string apiMethod, Scripted answer) => _queued.GetOrAdd(apiMethod, _ => new()).Enqueue(answer);

    public void Enqueue(string apiMethod, int status, string body) => Enqueue(apiMethod, Scripted.Json(status, body));

    public void Always(string apiMethod, Func<RecordedRequest, Scripted> handler) => _standing[apiMethod] = handler;

    public void Always(string apiMethod, int status, string body) => Always(apiMethod, _ => Scripted.Json(status, body));

    /// <summary>A loopback URL where nothing listens: connecting to it is refused.</summary>
    public static Uri ClosedPortUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}{BasePath}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.Headers.Authorization.FirstOrDefault(),
            context.Request.ContentType,
            body);
        _requests.Enqueue(request);

        var answer = _queued.TryGetValue(request.ApiMethod, out var queue) && queue.TryDequeue(out var next)
            ? next
            : _standing.TryGetValue(request.ApiMethod, out var handler)
                ? handler(request)
                : Scripted.Json(404, """{"error":"no scripted answer"}""");

        if (answer.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.ContentType = answer.Body.StartsWith('{') || answer.Body.StartsWith('[') ? "application/json" : "text/plain";
        await context.Response.WriteAsync(answer.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
