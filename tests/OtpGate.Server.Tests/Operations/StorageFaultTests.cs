using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.Operations;

/// <summary>
/// Storage faults injected for real into a running server: while writes fail, API writes answer 503
/// <c>storage_unavailable</c> with <c>Retry-After</c> (never 500), readiness says so, the log says it once; when the
/// fault ends the server heals by itself, without a restart and without losing an acknowledged start.
/// </summary>
[Trait("Storage", "sqlite-only")] // breaks SQLite's own files; a PostgreSQL server's faults happen elsewhere
public sealed partial class StorageFaultTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [GeneratedRegex("^Storage writes succeed again after ([1-9][0-9]*) failed writes in ")]
    private static partial Regex Recovered();

    [Fact]
    public async Task A_data_folder_immutable_for_five_seconds_answers_503_meanwhile_and_heals_by_itself_losing_no_acknowledged_start()
    {
        if (!FileFaults.IsRoot)
        {
            Assert.Skip("Needs root for chattr +i: chmod a-w does not reach SQLite's writer, which keeps the files it opened writable.");
        }

        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        var database = Path.Combine(server.DataDirectory, "otpgate.db");
        var before = (await server.StartAsync("+1 646 402 0001"))["id"]!.GetValue<string>();
        await using var load = StartLoad.Run(server);
        await load.WaitForAsync(load.Mark(), a => a.Status == HttpStatusCode.Created, Within);

        long faultBegan;
        string readinessDuring;
        var otherWrites = new List<(string What, HttpStatusCode Status, string? Code, bool RetryAfter)>();
        (HttpStatusCode Status, string Body, bool RetryAfter) signUp;
        var clock = Stopwatch.StartNew();
        using (FileFaults.MakeReadOnly(server.DataDirectory, database, database + "-wal"))
        {
            faultBegan = load.Mark();
            await load.WaitForAsync(faultBegan, a => a.Status != HttpStatusCode.Created, Within);
            readinessDuring = await WaitForReadinessAsync(server, HttpStatusCode.ServiceUnavailable);
            using var api = server.Api();
            foreach (var (what, path, body) in new[] { ("check", "check", (object?)new { code = "000000" }), ("resend", "resend", null), ("cancel", "cancel", null) })
            {
                using var response = await api.PostAsJsonAsync($"/v1/verifications/{before}/{path}", body, TestContext.Current.CancellationToken);
                var problem = await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
                otherWrites.Add((what, response.StatusCode, problem?["code"]?.GetValue<string>(), response.Headers.RetryAfter is not null));
            }

            signUp = await PostSignUpAsync(server);

            // The attack run's fault lasted 5 s, under load the whole time.
            if (TimeSpan.FromSeconds(5) - clock.Elapsed is { Ticks: > 0 } rest)
            {
                await Task.Delay(rest, TestContext.Current.CancellationToken);
            }
        }

        // Taken once the files are writable again: every start after it was sent after the fault ended.
        var faultEnded = load.Mark();

        var readinessAfter = await WaitForReadinessAsync(server, HttpStatusCode.OK);
        await load.WaitForAsync(faultEnded, a => a.Status == HttpStatusCode.Created, Within);
        await load.DisposeAsync();
        var answers = load.Answers;

        // During: 503 storage_unavailable with Retry-After for every write, never 500; readiness not ready, naming the fault.
        Assert.Contains(answers, a => a.Order > faultBegan && a.Order < faultEnded && a.Status == HttpStatusCode.ServiceUnavailable);
        AssertEveryRefusalIsStorageUnavailable(answers);
        Assert.All(otherWrites, w => Assert.Equal((w.What, HttpStatusCode.ServiceUnavailable, "storage_unavailable", true), w));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, signUp.Status);
        Assert.True(signUp.RetryAfter);
        Assert.Contains("The server cannot save right now, so nothing was sent or changed. Try again in a few seconds.", signUp.Body, StringComparison.Ordinal);
        Assert.Contains("\"Unhealthy\"", readinessDuring, StringComparison.Ordinal);
        Assert.Contains("Storage writes are failing since", readinessDuring, StringComparison.Ordinal);

        // After: ready, and the very first start sent after the fault ended was created, with no restart (and every later one).
        Assert.Contains("\"Healthy\"", readinessAfter, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, answers.First(a => a.Order > faultEnded).Status);
        Assert.All(answers.Where(a => a.Order > faultEnded), a => Assert.Equal(HttpStatusCode.Created, a.Status));

        // Said once when it began (one stack trace) and once when it ended, with the count; no stack trace per request.
        var logs = server.Logs.Entries;
        Assert.Single(logs, e => e.Text.StartsWith("Storage writes are failing: ", StringComparison.Ordinal));
        var recovered = Assert.Single(logs, e => e.Text.StartsWith("Storage writes succeed again after ", StringComparison.Ordinal));
        Assert.Matches(Recovered(), recovered.Text);
        Assert.Single(logs, e => e.Text.Contains("SqliteException", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.Text.StartsWith("Unhandled error", StringComparison.Ordinal));

        // Nothing acknowledged was lost: every 201 is readable through the API and is in the file.
        var acknowledged = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Id!).Append(before).ToList();
        using var api2 = server.Api();
        foreach (var id in acknowledged)
        {
            using var response = await api2.GetAsync($"/v1/verifications/{id}", TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Verification {id} was acknowledged but is gone: {(int)response.StatusCode}.");
        }

        Assert.Empty(acknowledged.Except(await ReadIdsAsync(database)));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{answers.Count} starts: {acknowledged.Count - 1} created, {answers.Count(a => a.Status == HttpStatusCode.ServiceUnavailable)} answered 503; {recovered.Text}");
    }

    [Fact]
    public async Task A_full_disk_answers_503_until_space_is_freed_and_heals_by_itself_losing_no_acknowledged_start()
    {
        if (!FileFaults.IsRoot)
        {
            Assert.Skip("Needs root to mount a small tmpfs as the data folder.");
        }

        using var disk = SmallDisk.TryMount("8m", out var refusal);
        if (disk is null)
        {
            // Root may still be refused (a container without CAP_SYS_ADMIN); on CI that must not pass unnoticed.
            Assert.SkipWhen(Environment.GetEnvironmentVariable("CI") is not { Length: > 0 }, refusal!);
            Assert.Fail(refusal);
        }

        await using var server = new CustomServer(null, dataDirectory: disk.Path);
        await server.InitializeAsync();
        await using var load = StartLoad.Run(server);
        await load.WaitForAsync(load.Mark(), a => a.Status == HttpStatusCode.Created, Within);

        var filler = disk.Fill();
        var faultBegan = load.Mark();
        await load.WaitForAsync(faultBegan, a => a.Status != HttpStatusCode.Created, Within);
        var readinessDuring = await WaitForReadinessAsync(server, HttpStatusCode.ServiceUnavailable);
        File.Delete(filler);
        var faultEnded = load.Mark();

        await WaitForReadinessAsync(server, HttpStatusCode.OK);
        await load.WaitForAsync(faultEnded, a => a.Status == HttpStatusCode.Created, Within);
        await load.DisposeAsync();
        var answers = load.Answers;

        AssertEveryRefusalIsStorageUnavailable(answers);
        Assert.Contains("database or disk is full (SQLite error 13)", readinessDuring, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, answers.First(a => a.Order > faultEnded).Status);
        var logs = server.Logs.Entries;
        Assert.Single(logs, e => e.Text.StartsWith("Storage writes are failing: database or disk is full (SQLite error 13).", StringComparison.Ordinal));
        Assert.Matches(Recovered(), Assert.Single(logs, e => e.Text.StartsWith("Storage writes succeed again after ", StringComparison.Ordinal)).Text);
        Assert.DoesNotContain(logs, e => e.Text.StartsWith("Unhandled error", StringComparison.Ordinal));

        var acknowledged = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Id!).ToList();
        Assert.Empty(acknowledged.Except(await ReadIdsAsync(Path.Combine(disk.Path, "otpgate.db"))));
    }

    /// <summary>Every start that was not created got the storage fault's answer: 503 storage_unavailable with Retry-After, never a 500.</summary>
    internal static void AssertEveryRefusalIsStorageUnavailable(IEnumerable<StartLoad.Answer> answers) =>
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, a.Status);
            Assert.Equal("storage_unavailable", a.Code);
            Assert.Equal("5", a.RetryAfter);
            Assert.Contains("The server cannot save right now; try again in 5 seconds.", a.Body, StringComparison.Ordinal);
        });

    /// <summary>Polls <c>/readyz</c> until it answers <paramref name="expected"/>; returns its body.</summary>
    internal static async Task<string> WaitForReadinessAsync(ServerFactory server, HttpStatusCode expected)
    {
        using var client = server.CreateClient();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            if (response.StatusCode == expected)
            {
                return body;
            }

            Assert.True(clock.Elapsed < Within, $"/readyz never answered {(int)expected}; it says {(int)response.StatusCode} {body}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>The sign-up form, posted as a browser does (anti-forgery token and cookie from the page).</summary>
    internal static async Task<(HttpStatusCode Status, string Body, bool RetryAfter)> PostSignUpAsync(ServerFactory server)
    {
        using var browser = server.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = server.Root });
        var page = await browser.GetStringAsync("/", TestContext.Current.CancellationToken);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var response = await browser.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Name"] = "Ada",
            ["Phone"] = "+1 646 402 0002",
        }), TestContext.Current.CancellationToken);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), response.Headers.RetryAfter is not null);
    }

    /// <summary>The verification ids in the database file, read by a connection of the test's own.</summary>
    internal static async Task<HashSet<string>> ReadIdsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM verifications";
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
