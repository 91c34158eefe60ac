using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using OtpGate.Sandbox;
using OtpGate.Verification.CrashHost;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>
/// Three engine host processes on one PostgreSQL database share 5,000 starts; one of them is SIGKILLed ten times
/// at random moments and restarted. Its claimed jobs are taken over after their lease; nothing is lost.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class MultiInstanceCrashTests
{
    private const int Total = 5000;
    private const int Kills = 10;

    [Fact]
    public async Task Killing_one_of_three_instances_ten_times_loses_nothing_and_repeats_only_its_in_flight_sends()
    {
        var cancel = TestContext.Current.CancellationToken;
        var (connectionString, drop) = await PostgresTestServer.CreateSchemaAsync();
        await using var sandbox = await SandboxServer.StartAsync(o => o.RateLimitPerSecond = 1000, cancellationToken: cancel);
        var environment = new Dictionary<string, string> { ["Storage__Provider"] = "postgres", ["Storage__ConnectionString"] = connectionString };
        var data = Path.Combine(Path.GetTempPath(), "otpgate-pgcrash-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        using var database = Database.ForPostgres(connectionString);
        var ranges = new[] { (First: 0, Last: 1665), (First: 1666, Last: 3331), (First: 3332, Last: Total - 1) };
        var next = ranges.Select(r => r.First).ToArray();
        var acknowledged = new Dictionary<int, string>();
        var hosts = new CrashHostProcess[3];
        var inFlightAtKills = 0;
        try
        {
            for (var i = 0; i < 3; i++)
            {
                hosts[i] = CrashHostProcess.Start(data, sandbox.BaseUrl, next[i], ranges[i].Last, environment);
            }

            for (var kill = 0; kill < Kills; kill++)
            {
                var victim = RandomNumberGenerator.GetInt32(0, 3);
                var host = hosts[victim];
                Assert.True(await host.WaitForAsync(line => line.StartsWith("started ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), "A host did not start:\n" + host.Output);
                await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(200, 1500)), cancel);
                host.Kill();
                var instance = host.Lines.First(l => l.StartsWith("instance ", StringComparison.Ordinal))["instance ".Length..];
                inFlightAtKills += await ClaimedByAsync(database, instance);
                next[victim] = Collect(host, acknowledged, next[victim]);
                if (next[victim] <= ranges[victim].Last)
                {
                    hosts[victim] = CrashHostProcess.Start(data, sandbox.BaseUrl, next[victim], ranges[victim].Last, environment);
                }
            }

            foreach (var host in hosts)
            {
                Assert.True(await host.WaitForAsync(line => line == "drained", TimeSpan.FromMinutes(4)), "A host did not drain the outbox:\n" + host.Output);
            }

            for (var i = 0; i < 3; i++)
            {
                hosts[i].Kill();
                next[i] = Collect(hosts[i], acknowledged, next[i]);
            }

            await using var connection = await database.OpenAsync(cancel);
            var accepted = (await connection.QueryAsync<(string Id, long Sends)>(
                "SELECT verification_id, COUNT(*) FROM sends WHERE message_id IS NOT NULL GROUP BY verification_id")).ToDictionary(r => r.Id, r => r.Sends);
            Assert.Equal(Total, acknowledged.Count);
            Assert.All(acknowledged, pair => Assert.True(accepted.ContainsKey(pair.Value), $"Verification {pair.Key} ({pair.Value}) was lost or never sent."));
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state IN ('queued', 'claimed')"));

            var duplicates = 0;
            for (var i = 0; i < Total; i++)
            {
                var messages = sandbox.Messages.GetMessages(CrashNumbers.Phone(i)[1..]);
                duplicates += Math.Max(0, messages.Count - 1);
                Assert.Single(messages.Select(m => m.Code).Distinct());
            }

            Assert.True(duplicates <= inFlightAtKills, $"{duplicates} duplicate sends, but only {inFlightAtKills} were in flight at the kills.");
            TestContext.Current.TestOutputHelper?.WriteLine($"{Total} starts over 3 instances, {Kills} kills; {inFlightAtKills} sends in flight at the kills; {duplicates} duplicates.");
        }
        finally
        {
            foreach (var host in hosts.Where(h => h is not null))
            {
                host.Kill();
            }

            await drop();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    /// <summary>Jobs the killed instance had claimed (in flight) when it died: only these may be sent twice.</summary>
    private static async Task<int> ClaimedByAsync(Database database, string instance)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return (int)await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sends WHERE job_state = 'claimed' AND locked_by = @instance", new { instance });
    }

    private static int Collect(CrashHostProcess host, Dictionary<int, string> acknowledged, int next)
    {
        foreach (var line in host.Lines)
        {
            if (line.Split(' ') is ["started", var index, var id] && id.StartsWith("vf_", StringComparison.Ordinal))
            {
                var i = int.Parse(index, CultureInfo.InvariantCulture);
                acknowledged[i] = id;
                next = Math.Max(next, i + 1);
            }
        }

        return next;
    }
}
