using System.Security.Cryptography;
using Dapper;
using OtpGate.Sandbox;
using OtpGate.Verification.CrashHost;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Outbox;

/// <summary>
/// Kill -9 at random moments: a host process drives 600 starts while the test SIGKILLs it again and again, then
/// lets a last run drain the outbox. Nothing acknowledged may be lost, and a resent code is always the same code.
/// </summary>
[Trait("Storage", "sqlite-only")] // kills a process that owns a SQLite file; the multi-instance PostgreSQL kill test is separate
public sealed class CrashTests
{
    private const int Total = 600;
    private const int Kills = 6;

    [Fact]
    public async Task Killing_the_process_at_random_moments_loses_no_verification_and_repeats_only_in_flight_sends_with_the_same_code()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(o => o.RateLimitPerSecond = 1000, cancellationToken: cancel);
        var data = Path.Combine(Path.GetTempPath(), "otpgate-crash-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        var acknowledged = new Dictionary<int, string>();
        var inFlightAtKills = 0;
        var next = 0;
        try
        {
            for (var kill = 0; kill < Kills && next < Total; kill++)
            {
                var run = CrashHostProcess.Start(data, sandbox.BaseUrl, next, Total - 1);
                // Kill while it works: after its first acknowledged start, at a random moment.
                Assert.True(await run.WaitForAsync(line => line.StartsWith("started ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), "The host did not start:\n" + run.Output);
                await Task.Delay(TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 1500)), cancel);
                run.Kill();
                Collect(run, acknowledged, ref next);
                inFlightAtKills += await CheckAfterCrashAsync(data);
            }

            var last = CrashHostProcess.Start(data, sandbox.BaseUrl, next, Total - 1);
            Assert.True(await last.WaitForAsync(line => line == "drained", TimeSpan.FromSeconds(90)), "The last run did not drain the outbox:\n" + last.Output);
            last.Kill();
            Collect(last, acknowledged, ref next);

            using var database = Database.ForSqlite(data);
            await using var connection = await database.OpenAsync(cancel);
            Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.True(acknowledged.Count >= 500, $"Only {acknowledged.Count} starts were acknowledged.");

            // 0 lost: every acknowledged start exists and ended with an accepted send or a visible failure.
            var states = (await connection.QueryAsync<(string Id, string Status, long Accepted)>("""
                SELECT v.id, v.status, (SELECT COUNT(*) FROM sends s WHERE s.verification_id = v.id AND s.message_id IS NOT NULL)
                FROM verifications v
                """)).ToDictionary(r => r.Id);
            foreach (var (index, id) in acknowledged)
            {
                Assert.True(states.TryGetValue(id, out var state), $"Verification {index} ({id}) was lost.");
                Assert.True(state.Accepted > 0 || state.Status == "failed", $"Verification {index} ({id}) was never sent.");
            }

            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state IN ('queued', 'claimed')"));

            // Duplicates only for sends in flight at a kill, and always with the same code.
            var duplicates = 0;
            for (var i = 0; i < next; i++)
            {
                var messages = sandbox.Messages.GetMessages(CrashNumbers.Phone(i)[1..]);
                duplicates += Math.Max(0, messages.Count - 1);
                Assert.Single(messages.Select(m => m.Code).Distinct());
            }

            Assert.True(duplicates <= inFlightAtKills, $"{duplicates} duplicate sends, but only {inFlightAtKills} were in flight at the kills.");
            TestContext.Current.TestOutputHelper?.WriteLine($"{acknowledged.Count} starts acknowledged over {Kills} kills; {inFlightAtKills} sends in flight at the kills; {duplicates} duplicates.");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Collect(CrashHostProcess run, Dictionary<int, string> acknowledged, ref int next)
    {
        foreach (var line in run.Lines)
        {
            var parts = line.Split(' ');
            if (parts is ["started", var index, var id] && id.StartsWith("vf_", StringComparison.Ordinal))
            {
                var i = int.Parse(index, System.Globalization.CultureInfo.InvariantCulture);
                acknowledged[i] = id;
                next = Math.Max(next, i + 1);
            }
        }
    }

    /// <summary>After a kill: the file is intact; returns the jobs that were claimed (in flight) when it died.</summary>
    private static async Task<int> CheckAfterCrashAsync(string data)
    {
        using var database = Database.ForSqlite(data);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
        return (int)await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state = 'claimed'");
    }
}
