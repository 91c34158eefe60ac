using System.Security.Cryptography;
using Dapper;
using OtpGate.Sandbox;
using OtpGate.Verification.Events;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Events;

/// <summary>
/// Kill -9 during delivery: the crash host starts verifications (each raises started and, once sent, sent) and
/// delivers their events to a real receiver while the test SIGKILLs it again and again; a last run drains. Every event
/// of every acknowledged start reaches the receiver, signed, and more than once only when it was in flight at a kill.
/// </summary>
[Trait("Storage", "sqlite-only")] // kills a process that owns a SQLite file
public sealed class EventCrashTests
{
    private const int Total = 200;
    private const int Kills = 4;

    [Fact]
    public async Task Killing_the_server_during_delivery_loses_no_event_and_repeats_only_those_in_flight()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(o => o.RateLimitPerSecond = 1000, cancellationToken: cancel);
        await using var receiver = await WebhookReceiver.StartAsync(WebhookSecret.Generate());
        var environment = new Dictionary<string, string> { ["Events__Endpoints__app__Url"] = receiver.Url.ToString(), ["Events__Endpoints__app__Secret"] = receiver.Secrets[0] };
        var data = Path.Combine(Path.GetTempPath(), "otpgate-crash-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        var inFlightAtKills = 0;
        var next = 0;
        try
        {
            for (var kill = 0; kill < Kills && next < Total; kill++)
            {
                var run = CrashHostProcess.Start(data, sandbox.BaseUrl, next, Total - 1, environment);
                var before = receiver.Received.Count;
                Assert.True(await run.WaitForAsync(line => line.StartsWith("started ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), "The host did not start:\n" + run.Output);
                await receiver.WaitForCountAsync(before + 1); // killed while it delivers, at a random moment
                await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 800)), cancel);
                run.Kill();
                next = Collect(run, acknowledged, next);
                inFlightAtKills += await ClaimedAsync(data);
            }

            var last = CrashHostProcess.Start(data, sandbox.BaseUrl, next, Total - 1, environment);
            Assert.True(await last.WaitForAsync(line => line == "drained", TimeSpan.FromSeconds(90)), "The last run did not drain:\n" + last.Output);
            last.Kill();
            Collect(last, acknowledged, next);

            using var database = Database.ForSqlite(data);
            await using var connection = await database.OpenAsync(cancel);
            var events = (await connection.QueryAsync<(string EventId, string Type, string VerificationId)>(
                "SELECT event_id, type, verification_id FROM events ORDER BY id")).ToList();
            var received = receiver.Received;
            Assert.All(received, r => Assert.True(r.Verified));
            Assert.Equal(events.Select(e => e.EventId).Order(), received.Select(r => r.Id).Distinct().Order());
            Assert.Subset(events.Where(e => e.Type == "verification.started").Select(e => e.VerificationId).ToHashSet(), acknowledged);
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state <> 'delivered'"));
            var duplicates = received.Count - events.Count;
            Assert.True(duplicates <= inFlightAtKills, $"{duplicates} duplicate deliveries, but only {inFlightAtKills} were in flight at the kills.");
            TestContext.Current.TestOutputHelper?.WriteLine($"{acknowledged.Count} starts, {events.Count} events over {Kills} kills; {inFlightAtKills} in flight at the kills; {duplicates} duplicates.");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static int Collect(CrashHostProcess run, HashSet<string> acknowledged, int next)
    {
        foreach (var line in run.Lines)
        {
            if (line.Split(' ') is ["started", var index, var id] && id.StartsWith("vf_", StringComparison.Ordinal))
            {
                acknowledged.Add(id);
                next = Math.Max(next, int.Parse(index, System.Globalization.CultureInfo.InvariantCulture) + 1);
            }
        }

        return next;
    }

    private static async Task<int> ClaimedAsync(string data)
    {
        using var database = Database.ForSqlite(data);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_deliveries WHERE state = 'claimed'");
    }
}
