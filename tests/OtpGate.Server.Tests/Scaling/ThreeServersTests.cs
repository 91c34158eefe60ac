using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dapper;
using OtpGate.Sandbox;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Storage;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Scaling;

/// <summary>
/// Three server processes behind a round-robin "load balancer" (the test), on one PostgreSQL database, sending to
/// one sandbox as their 1MSG channel. What must hold for users is the same as with one server.
/// </summary>
[Trait("Storage", "postgres-only")]
public sealed class ThreeServersTests : IAsyncLifetime
{
    private const string Key = "scaling-test-key-0123456789";
    private SandboxServer _sandbox = null!;
    private Func<Task> _drop = () => Task.CompletedTask;
    private readonly List<string> _dataDirectories = [];

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        (ConnectionString, _drop) = await PostgresTestServer.CreateSchemaAsync();
        _sandbox = await SandboxServer.StartAsync(o => o.RateLimitPerSecond = 1000, cancellationToken: TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _drop();
        foreach (var directory in _dataDirectories.Where(Directory.Exists))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private Task<ServerProcess> StartServerAsync(int? port = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "otpgate-scaling-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
        _dataDirectories.Add(data);
        return ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage__Provider"] = "postgres",
            ["Storage__ConnectionString"] = PatientConnectionString(),
            ["Storage__DataDirectory"] = data,
            ["Security__Secret"] = "scaling-secret-0123456789-abcdefghijklmnopq",
            ["OneMsg__BaseUrl"] = _sandbox.BaseUrl.ToString(),
            ["OneMsg__ChannelId"] = _sandbox.ChannelId,
            ["OneMsg__Token"] = _sandbox.Token,
            ["OneMsg__Template__Name"] = "registration_otp",
            ["OneMsg__Template__Namespace"] = "otpgate_sandbox",
            ["OneMsg__Template__Language"] = "en",
            ["Api__Keys__tests"] = Key,
            ["Api__RateLimit__PerKeyPerMinute"] = "1000000",
            ["Api__RateLimit__PerIpPerMinute"] = "1000000",
            // Thousands of starts in one day: a load test, not a budget's (the default daily spend cap would stop it).
            ["Spend__DailyCap"] = "0",
            ["Verification__Dispatch__Lease"] = "00:00:05",
            ["Verification__Dispatch__ChannelRatePerSecond"] = "1000",
            ["Fraud__Enabled"] = "false", // 2,000 sequential numbers in a minute: a sweep the fraud guard would refuse (its own tests)
            ["Logging__LogLevel__Default"] = "Warning",
        }, port);
    }

    /// <summary>
    /// The shared database for the servers, with its waits as mere guards against a hang. The tests load one row or one
    /// phone with up to 200 requests that take turns on its lock: on a loaded machine the last waits longer for a pooled
    /// connection than Npgsql's default 15 s, which the server rightly answers 503 storage_unavailable. That is the
    /// machine's speed, not what these tests are about (comparisons, sends, limits), so no wait here is a deadline.
    /// </summary>
    private string PatientConnectionString() =>
        new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 600, CommandTimeout = 600 }.ConnectionString;

    private static HttpClient Client(ServerProcess server)
    {
        // A guard against a hang, not a deadline: the servers answer every request, however long its turn takes.
        var client = new HttpClient { BaseAddress = server.Root, Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return client;
    }

    private static string Phone(int i) => $"+1646800{i:D4}";

    [Fact]
    public async Task Two_thousand_starts_round_robin_over_three_servers_are_each_sent_exactly_once_and_limits_are_global()
    {
        await using var a = await StartServerAsync();
        await using var b = await StartServerAsync();
        await using var c = await StartServerAsync();
        var clients = new[] { Client(a), Client(b), Client(c) };

        var statuses = new HttpStatusCode[2000];
        await Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (i, ct) =>
        {
            using var response = await clients[i % 3].PostAsJsonAsync("/v1/verifications", new { phone = Phone(i) }, ct);
            statuses[i] = response.StatusCode;
        });
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Created, s));
        await WaitForDrainAsync();

        for (var i = 0; i < 2000; i++)
        {
            Assert.Equal(1, _sandbox.Messages.GetRequestCount(Phone(i)[1..]));
        }

        // A phone's cap (5 sends in 10 minutes) holds whichever server is asked.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            var client = clients[i % 3];
            using var started = await client.PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 900 0001" }, TestContext.Current.CancellationToken);
            answers.Add(started.StatusCode);
            if (started.IsSuccessStatusCode)
            {
                var id = (await started.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["id"]!.GetValue<string>();
                using var canceled = await clients[(i + 1) % 3].PostAsync($"/v1/verifications/{id}/cancel", null, TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(5, answers.Count(s => s == HttpStatusCode.Created));
        Assert.Equal((HttpStatusCode)429, answers[^1]);
    }

    [Fact]
    public async Task Two_hundred_parallel_wrong_checks_over_three_servers_make_exactly_five_comparisons()
    {
        await using var a = await StartServerAsync();
        await using var b = await StartServerAsync();
        await using var c = await StartServerAsync();
        var clients = new[] { Client(a), Client(b), Client(c) };
        using var started = await clients[0].PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 900 0002" }, TestContext.Current.CancellationToken);
        var id = (await started.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!["id"]!.GetValue<string>();
        var code = (await _sandbox.Messages.WaitForMessageAsync("16469000002", cancellationToken: TestContext.Current.CancellationToken)).Code!;
        var wrong = code == "123456" ? "654321" : "123456";

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using var response = await clients[i % 3].PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = wrong }, TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return (Status: (int)response.StatusCode, Code: CodeOf(body), Body: body);
        }));

        // Every answer that is neither of the two expected ones, whole, so a failure shows what was answered instead.
        var unexpected = answers.Where(a => a.Code is not ("wrong_code" or "max_attempts_reached")).Select(a => $"{a.Status} {a.Body}").ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} unexpected answers:\n{string.Join("\n", unexpected)}");
        Assert.Equal(5, answers.Count(a => a.Code == "wrong_code"));
        Assert.Equal(195, answers.Count(a => a.Code == "max_attempts_reached"));
    }

    /// <summary>The problem's <c>code</c>, or null when the body is not a JSON object with one (an empty 500, say).</summary>
    private static string? CodeOf(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject problem && problem["code"] is JsonValue code ? code.GetValue<string>() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [Fact]
    public async Task Killing_one_of_three_servers_ten_times_during_five_thousand_starts_loses_nothing()
    {
        var servers = new[] { await StartServerAsync(), await StartServerAsync(), await StartServerAsync() };
        var ports = servers.Select(s => s.Root.Port).ToArray();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<int, string>();
        var inFlightAtKills = 0;
        try
        {
            var next = -1;
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var load = Parallel.ForAsync(0, 16, stop.Token, async (_, ct) =>
            {
                for (var i = Interlocked.Increment(ref next); i < 5000; i = Interlocked.Increment(ref next))
                {
                    acknowledged[i] = await StartSomewhereAsync(servers, i, ct);
                }
            });

            using var database = Database.ForPostgres(ConnectionString);
            for (var kill = 0; kill < 10 && !load.IsCompleted; kill++)
            {
                await Task.Delay(RandomNumberGenerator.GetInt32(300, 1200), TestContext.Current.CancellationToken);
                var victim = RandomNumberGenerator.GetInt32(0, 3);
                var pid = servers[victim].ProcessId;
                servers[victim].Kill();
                inFlightAtKills += await ClaimedByProcessAsync(database, pid);
                await servers[victim].DisposeAsync();
                servers[victim] = await StartServerAsync(ports[victim]);
            }

            await load;
            await WaitForDrainAsync();

            await using var connection = await database.OpenAsync(TestContext.Current.CancellationToken);
            var sent = (await connection.QueryAsync<string>("SELECT DISTINCT verification_id FROM sends WHERE message_id IS NOT NULL")).ToHashSet();
            Assert.Equal(5000, acknowledged.Count);
            Assert.All(acknowledged, pair => Assert.True(sent.Contains(pair.Value), $"Verification {pair.Key} ({pair.Value}) was lost or never sent."));
            var duplicates = 0;
            for (var i = 0; i < 5000; i++)
            {
                var messages = _sandbox.Messages.GetMessages(Phone(i)[1..]);
                duplicates += Math.Max(0, messages.Count - 1);
                Assert.Single(messages.Select(m => m.Code).Distinct());
            }

            Assert.True(duplicates <= inFlightAtKills, $"{duplicates} duplicate sends, but only {inFlightAtKills} were in flight at the kills.");
            TestContext.Current.TestOutputHelper?.WriteLine($"5000 starts over 3 servers, 10 kills; {inFlightAtKills} sends in flight at the kills; {duplicates} duplicates.");
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Like a load balancer: try the servers in turn from this request's slot until one answers.</summary>
    private static async Task<string> StartSomewhereAsync(ServerProcess[] servers, int i, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var server = servers[(i + attempt) % 3];
            try
            {
                using var client = Client(server);
                using var response = await client.PostAsJsonAsync("/v1/verifications", new { phone = Phone(i) }, ct);
                if (response.IsSuccessStatusCode)
                {
                    return (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
                }
            }
            catch (HttpRequestException)
            {
                // That server is down (being killed or restarting): the next one takes the request.
            }

            await Task.Delay(20, ct);
        }
    }

    private static async Task<int> ClaimedByProcessAsync(Database database, int pid)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        return (int)await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sends WHERE job_state = 'claimed' AND locked_by LIKE @pattern", new { pattern = $"%:{pid}:%" });
    }

    private async Task WaitForDrainAsync()
    {
        using var database = Database.ForPostgres(ConnectionString);
        for (var i = 0; i < 1200; i++)
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sends WHERE job_state IN ('queued', 'claimed')") == 0)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The outbox did not drain within 2 minutes.");
    }
}
