using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace OtpGate.Channels.Sms.Tests.Support;

/// <summary>One form-encoded POST the receiver got: its path and query, fields in order, signature header and content type.</summary>
public sealed record ReceivedForm(string PathAndQuery, IReadOnlyList<KeyValuePair<string, string>> Fields, string? Signature, string? ContentType)
{
    public string this[string name] => Fields.Single(f => f.Key == name).Value;

    public bool Has(string name) => Fields.Any(f => f.Key == name);
}

/// <summary>A real Kestrel app on a free loopback port that records every form POST and answers 204.</summary>
public sealed class FormCallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedForm> _received = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FormCallbackReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public static async Task<FormCallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();
        var app = builder.Build();
        var receiver = new FormCallbackReceiver(app);
        app.UseRouting();
        app.MapPost("/{**path}", (Func<HttpContext, Task<IResult>>)receiver.HandleAsync);
        await app.StartAsync();
        receiver.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return receiver;
    }

    /// <summary>Waits until <paramref name="count"/> posts reached <paramref name="pathAndQuery"/>; the guard only stops a hang.</summary>
    public async Task<IReadOnlyList<ReceivedForm>> WaitForAsync(string pathAndQuery, int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            var matching = _received.Where(r => r.PathAndQuery == pathAndQuery).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            await changed.WaitAsync(guard.Token);
        }
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        _received.Enqueue(new ReceivedForm(
            context.Request.Path + context.Request.QueryString, fields,
            context.Request.Headers["X-Twilio-Signature"].FirstOrDefault(), context.Request.ContentType));
        Interlocked.Exchange(ref _changed, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Results.NoContent();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
