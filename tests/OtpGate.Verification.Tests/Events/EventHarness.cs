using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Verification.Events;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Events;

/// <summary>
/// An engine whose fake clock starts at the real time (the <c>StandardWebhooks</c> verifier compares a message's
/// timestamp with the wall clock, within 5 minutes), and endpoints pointing at real receivers on loopback.
/// </summary>
internal static class EventHarness
{
    public static readonly CancellationToken None = CancellationToken.None;

    public static Task<Engine> StartEngineAsync(Dictionary<string, string?>? events = null)
    {
        // Runs of starts to one prefix, in one fake minute, are what the fraud guard refuses (its own tests); these are about events.
        var settings = new Dictionary<string, string?> { ["Events:Timeout"] = "00:00:10", ["Events:MaxConcurrencyPerEndpoint"] = "2", ["Fraud:Enabled"] = "false" };
        foreach (var (key, value) in events ?? [])
        {
            settings[key] = value;
        }

        return Engine.StartAsync(time: new FakeTimeProvider(TimeProvider.System.GetUtcNow()), settings: settings);
    }

    public static EventEndpoints Endpoints(this Engine engine) => engine.Services.GetRequiredService<EventEndpoints>();

    public static EventDispatcher EventDispatcher(this Engine engine) => engine.Services.GetRequiredService<EventDispatcher>();

    /// <summary>Adds an endpoint for every service and type pointing at <paramref name="receiver"/>, which is given its secret.</summary>
    public static async Task AddEndpointAsync(this Engine engine, string id, WebhookReceiver receiver, IReadOnlyList<string>? types = null)
    {
        var added = await engine.Endpoints().AddAsync(id, receiver.Url.ToString(), null, types, null, None);
        Assert.Equal(EndpointOutcome.Done, added.Outcome);
        receiver.Secrets = [added.Secret!];
    }

    /// <summary>Every event written, in order: its webhook-id, type and verification.</summary>
    public static async Task<List<(string EventId, string Type, string VerificationId)>> EventsAsync(this Engine engine)
    {
        await using var connection = await engine.Database.OpenAsync(None);
        return [.. await connection.QueryAsync<(string, string, string)>("SELECT event_id, type, verification_id FROM events ORDER BY id")];
    }

    public static async Task<string> EndpointStateAsync(this Engine engine, string id) =>
        await engine.ScalarAsync<string>("SELECT state FROM event_endpoints WHERE id = @id", new { id });

    /// <summary>Starts <paramref name="count"/> verifications and approves each: 2 events apiece.</summary>
    public static async Task<List<string>> StartAndApproveAsync(this Engine engine, int count, int first = 0)
    {
        var ids = new List<string>();
        for (var i = first; i < first + count; i++)
        {
            var id = await engine.StartVerificationAsync($"+1 212 555 {100 + i:0000}");
            Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, id, await engine.ReadCodeAsync(id), None)).Succeeded);
            ids.Add(id);
        }

        return ids;
    }
}
