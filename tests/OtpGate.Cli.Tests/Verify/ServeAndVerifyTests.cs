using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Verify;

/// <summary>
/// <c>otpgate serve</c> runs the real server (in the same process, on loopback, its data in a temp folder, its sandbox
/// in-process); <c>otpgate verify</c> then drives its HTTP API: start, a wrong code, the right one, status.
/// </summary>
public sealed class ServeAndVerifyTests
{
    private const string ApiKey = "otpg_test_9c2f1e7d5b3a";

    [Fact]
    public async Task Verify_start_check_and_status_against_the_server_that_serve_runs()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(ServeEnvironment(data), data.Path);
        var server = served.Root;
        var client = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = server, ["OTPGATE_API_KEY"] = ApiKey };

        var started = await Otpgate.RunAsync(client, "verify", "start", "--phone", "+1 212 555 0100", "--purpose", "signup", "--json");
        Assert.True(started.ExitCode == 0, started + "\n" + served.Error);
        var id = started.Json["id"]!.GetValue<string>();
        Assert.Equal("pending", started.Json["status"]!.GetValue<string>());
        var code = await ReadCodeFromInboxAsync(server, "12125550100");
        var wrong = code == "000000" ? "111111" : "000000";

        var rejected = await Otpgate.RunAsync(client, "verify", "check", id, "--code", wrong);
        var approved = await Otpgate.RunAsync(client, "verify", "check", id, "--code", code);
        var again = await Otpgate.RunAsync(client, "verify", "check", id, "--code", code);
        var status = await Otpgate.RunAsync(client, "verify", "status", id, "--json");
        var text = await Otpgate.RunAsync(client, "verify", "status", id);
        var noKey = await Otpgate.RunAsync(new Dictionary<string, string?>(), "verify", "status", id, "--server", server);
        var unknown = await Otpgate.RunAsync(client, "verify", "status", "vf_doesnotexist");
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(server + "/metrics", TestContext.Current.CancellationToken);

        Assert.Equal(ExitCodes.Refused, rejected.ExitCode);
        Assert.Contains("422 wrong_code", Assert.Single(rejected.ErrorLines));
        Assert.True(approved.ExitCode == 0, approved.ToString());
        Assert.StartsWith("Approved: the code is right.", approved.Out);
        Assert.Equal(ExitCodes.Refused, again.ExitCode);
        Assert.Contains("409 already_approved", Assert.Single(again.ErrorLines));
        Assert.Equal("approved", status.Json["status"]!.GetValue<string>());
        Assert.Equal(id, status.Json["id"]!.GetValue<string>());
        Assert.Matches(@"(?m)^\s+status\s+approved$", text.Out);

        // No key is a configuration error, like any missing setting: exit 1, and nothing is asked of the server.
        Assert.Equal(ExitCodes.Usage, noKey.ExitCode);
        Assert.Contains("--api-key or set OTPGATE_API_KEY", Assert.Single(noKey.ErrorLines));
        Assert.Equal(ExitCodes.Refused, unknown.ExitCode);
        Assert.Contains("404", Assert.Single(unknown.ErrorLines));

        // Check outcomes are labelled in one style, the API's refusal codes.
        Assert.Matches(@"otpgate_checks_total\{[^}]*outcome=""wrong_code""", metrics);
        Assert.Matches(@"otpgate_checks_total\{[^}]*outcome=""already_approved""", metrics);
        Assert.DoesNotContain("AlreadyApproved", metrics);

        Assert.Equal(0, await served.StopAsync());
        Assert.Contains("OtpGate is running", served.Out.ToString());
    }

    [Fact]
    public async Task Verify_prints_the_verification_and_its_timeline_for_people_and_resends_and_cancels()
    {
        using var data = new TempDirectory();
        // A cooldown no slow run outlasts: the resend right after the start is refused whatever the machine's pace.
        var environment = new Dictionary<string, string?>(ServeEnvironment(data)) { ["Verification__ResendCooldown"] = "00:05:00" };
        await using var served = await ServedServer.StartAsync(environment, data.Path);
        var client = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root, ["OTPGATE_API_KEY"] = ApiKey };

        var started = await Otpgate.RunAsync(client, "verify", "start", "--phone", "+1 212 555 0111");
        var id = Regex.Match(started.Out, @"(?m)^\s+id\s+(vf_\S+)$").Groups[1].Value;
        await ReadCodeFromInboxAsync(served.Root, "12125550111");
        var tooSoon = await Otpgate.RunAsync(client, "verify", "resend", id, "--json");
        var text = await Otpgate.RunAsync(client, "verify", "status", id);
        var canceled = await Otpgate.RunAsync(client, "verify", "cancel", id);
        var checkedAfter = await Otpgate.RunAsync(client, "verify", "check", id, "--code", "123456");

        Assert.True(started.ExitCode == 0, started.ToString());
        Assert.StartsWith("Verification started", started.Out);
        foreach (var output in new[] { started.Out, text.Out, canceled.Out })
        {
            // Fields without a value are left out, and nothing is JSON-escaped ("+" stays "+").
            Assert.DoesNotContain("null", output);
            Assert.DoesNotContain("client ref", output);
            Assert.DoesNotContain("metadata", output);
            Assert.DoesNotContain("\\u", output);
            Assert.DoesNotContain("{", output);
            Assert.Matches(@"(?m)^\s+phone\s+\+12125550111$", output);
        }

        Assert.Equal(ExitCodes.Refused, tooSoon.ExitCode);
        var cooldown = Assert.Single(tooSoon.ErrorLines);
        Assert.Contains("429 cooldown", cooldown);
        // The wait is said once.
        Assert.DoesNotContain("Try again in", cooldown);
        Assert.Equal("cooldown", tooSoon.Json["code"]!.GetValue<string>());
        Assert.Equal("https://tools.ietf.org/html/rfc6585#section-4", tooSoon.Json["type"]!.GetValue<string>());

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^\s+timeline$", text.Out);
        Assert.Matches(@"(?m)^\s+\d\d:\d\d:\d\d\.\d{3}\s+created$", text.Out);
        Assert.Matches(@"(?m)^\s+\d\d:\d\d:\d\d\.\d{3}\s+send_queued queued \(send 1\)$", text.Out);
        Assert.Matches(@"(?m)^\s+expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$", text.Out);

        Assert.True(canceled.ExitCode == 0, canceled.ToString());
        Assert.StartsWith("Verification canceled.", canceled.Out);
        Assert.Matches(@"(?m)^\s+status\s+canceled$", canceled.Out);
        Assert.Matches(@"(?m)^\s+\d\d:\d\d:\d\d\.\d{3}\s+canceled$", canceled.Out);
        Assert.Equal(ExitCodes.Refused, checkedAfter.ExitCode);
        Assert.Contains("410 canceled", Assert.Single(checkedAfter.ErrorLines));
    }

    [Fact]
    public async Task Verify_resend_sends_the_code_again_when_the_cooldown_allows()
    {
        using var data = new TempDirectory();
        var environment = new Dictionary<string, string?>(ServeEnvironment(data)) { ["Verification__ResendCooldown"] = "00:00:00" };
        await using var served = await ServedServer.StartAsync(environment, data.Path);
        var client = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root, ["OTPGATE_API_KEY"] = ApiKey };
        var started = await Otpgate.RunAsync(client, "verify", "start", "--phone", "+1 212 555 0112", "--json");
        var id = started.Json["id"]!.GetValue<string>();

        var resent = await Otpgate.RunAsync(client, "verify", "resend", id);

        Assert.True(resent.ExitCode == 0, resent.ToString());
        Assert.StartsWith("Resend queued", resent.Out);
        Assert.True(Regex.IsMatch(resent.Out, @"(?m)^\s+\d\d:\d\d:\d\d\.\d{3}\s+send_queued queued  resend with the same code \(send 2\)$"), resent.Out);
    }

    private static Dictionary<string, string?> ServeEnvironment(TempDirectory data) => new()
    {
        ["Storage__DataDirectory"] = data.Path,
        ["Api__Keys__test"] = ApiKey,
        ["Sandbox__SentAfter"] = "00:00:00.050",
        ["Sandbox__DeliveredAfter"] = "00:00:00.100",
        ["Sandbox__ReadAfter"] = "00:00:00.150",
    };

    [Fact]
    public async Task Verify_against_a_server_that_is_not_running_exits_3_in_one_sentence()
    {
        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_API_KEY"] = ApiKey }, "verify", "status", "vf_x", "--server", $"http://127.0.0.1:{FreePort()}");

        Assert.Equal(ExitCodes.Unexpected, result.ExitCode);
        Assert.Contains("Could not reach the OtpGate server", Assert.Single(result.ErrorLines));
    }

    /// <summary>Reads the code as the user would: from the sandbox phone inbox the server mounts.</summary>
    private static async Task<string> ReadCodeFromInboxAsync(string server, string phone)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            var json = JsonNode.Parse(await http.GetStringAsync(server + $"/sandbox/_sandbox/messages?phone={phone}", TestContext.Current.CancellationToken));
            if (json is JsonArray { Count: > 0 } messages && messages[^1]!["code"]?.GetValue<string>() is { } code)
            {
                return code;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("No message reached the sandbox inbox.");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
