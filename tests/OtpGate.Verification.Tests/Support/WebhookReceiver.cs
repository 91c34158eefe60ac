using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace OtpGate.Verification.Tests.Support;

/// <summary>How the receiver answers.</summary>
public enum ReceiverMode
{
    Ok,
    Fail,
    Hang,
    Gone,
}

/// <summary>One request the receiver got: its webhook-id, the event's type and verification, whether the signature verified, and its answer.</summary>
public sealed record ReceivedWebhook(string Id, string Type, string VerificationId, bool Verified, int Answer);

/// <summary>
/// A real HTTP receiver on loopback that checks every request's signature with the independent <c>StandardWebhooks</c>
/// package (the implementation receivers use) against the secrets it is given, and answers as its mode says.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ReceivedWebhook> _received = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];

    private WebhookReceiver(WebApplication app, string[] secrets)
    {
        _app = app;
        Secrets = secrets;
    }

    /// <summary>The secrets a signature may verify with (any one is enough, as during a rotation).</summary>
    public string[] Secrets { get; set; }

    public ReceiverMode Mode { get; set; }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(params string[] secrets)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secrets);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/hooks");
        return receiver;
    }

    /// <summary>Completes once <paramref name="count"/> requests have arrived (fails the test after a minute, a guard against a hang, not a timing).</summary>
    public Task WaitForCountAsync(int count)
    {
        lock (_received)
        {
            if (_received.Count >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waits.Add((count, reached));
            return reached.Task.WaitAsync(TimeSpan.FromMinutes(1));
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var verified = Secrets.Any(secret => Verifies(secret, body, context.Request.Headers));
        using var payload = JsonDocument.Parse(body);
        var mode = Mode;
        var answer = mode switch { ReceiverMode.Ok => 200, ReceiverMode.Fail => 500, ReceiverMode.Gone => 410, _ => 0 };
        Record(new ReceivedWebhook(context.Request.Headers["webhook-id"].ToString(), payload.RootElement.GetProperty("type").GetString()!,
            payload.RootElement.GetProperty("data").GetProperty("id").GetString()!, verified, answer));
        if (mode == ReceiverMode.Hang)
        {
            // Until the sender gives up (its timeout) and drops the connection.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = answer;
    }

    // Each signature of the header on its own: the package (1.1.2) looks only at the first of several, where the
    // specification has a receiver accept any (a rotation signs with the new secret first, then the previous one).
    private static bool Verifies(string secret, string body, IHeaderDictionary headers) =>
        headers["webhook-signature"].ToString().Split(' ').Any(signature =>
        {
            var one = new HeaderDictionary
            {
                ["webhook-id"] = headers["webhook-id"], ["webhook-timestamp"] = headers["webhook-timestamp"], ["webhook-signature"] = signature,
            };
            try
            {
                new StandardWebhook(secret).Verify(body, one);
                return true;
            }
            catch (WebhookVerificationException)
            {
                return false;
            }
        });

    private void Record(ReceivedWebhook received)
    {
        lock (_received)
        {
            _received.Add(received);
            foreach (var wait in _waits.Where(w => _received.Count >= w.Count).ToList())
            {
                wait.Reached.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
