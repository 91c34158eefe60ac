using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
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
        var port = FreePort();
        var server = $"http://127.0.0.1:{port}";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var serverOut = new CapturedWriter();
        var serverErr = new CapturedWriter();
        var serveEnvironment = new Dictionary<string, string?>
        {
            ["Storage__DataDirectory"] = data.Path,
            ["Api__Keys__test"] = ApiKey,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var serving = CliApp.RunAsync(["serve", "--urls", server], new CliConsole(serverOut, serverErr, serveEnvironment, data.Path), stop.Token);
        var client = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = server, ["OTPGATE_API_KEY"] = ApiKey };
        try
        {
            await WaitForServerAsync(server, serving, serverOut, serverErr);

            var started = await Otpgate.RunAsync(client, "verify", "start", "--phone", "+1 212 555 0100", "--purpose", "signup", "--json");
            Assert.True(started.ExitCode == 0, started + "\n" + serverErr);
            var id = started.Json["id"]!.GetValue<string>();
            Assert.Equal("pending", started.Json["status"]!.GetValue<string>());
            var code = await ReadCodeFromInboxAsync(server);
            var wrong = code == "000000" ? "111111" : "000000";

            var rejected = await Otpgate.RunAsync(client, "verify", "check", id, "--code", wrong);
            var approved = await Otpgate.RunAsync(client, "verify", "check", id, "--code", code);
            var status = await Otpgate.RunAsync(client, "verify", "status", id, "--json");
            var text = await Otpgate.RunAsync(client, "verify", "status", id);
            var noKey = await Otpgate.RunAsync(new Dictionary<string, string?>(), "verify", "status", id, "--server", server);
            var unknown = await Otpgate.RunAsync(client, "verify", "status", "vf_doesnotexist");

            Assert.Equal(ExitCodes.Refused, rejected.ExitCode);
            Assert.Contains("422 wrong_code", Assert.Single(rejected.ErrorLines));
            Assert.True(approved.ExitCode == 0, approved.ToString());
            Assert.StartsWith("Approved: the code is right.", approved.Out);
            Assert.Equal("approved", status.Json["status"]!.GetValue<string>());
            Assert.Equal(id, status.Json["id"]!.GetValue<string>());
            Assert.Matches(@"(?m)^\s+status\s+approved$", text.Out);
            Assert.Equal(ExitCodes.Refused, noKey.ExitCode);
            Assert.Contains("API key", Assert.Single(noKey.ErrorLines));
            Assert.Equal(ExitCodes.Refused, unknown.ExitCode);
            Assert.Contains("404", Assert.Single(unknown.ErrorLines));
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await serving);
        Assert.Contains("OtpGate is running", serverOut.ToString());
    }

    [Fact]
    public async Task Verify_against_a_server_that_is_not_running_exits_3_in_one_sentence()
    {
        var result = await Otpgate.RunAsync(new Dictionary<string, string?>(), "verify", "status", "vf_x", "--server", $"http://127.0.0.1:{FreePort()}");

        Assert.Equal(ExitCodes.Unexpected, result.ExitCode);
        Assert.Contains("Could not reach the OtpGate server", Assert.Single(result.ErrorLines));
    }

    private static async Task WaitForServerAsync(string server, Task<int> serving, CapturedWriter output, CapturedWriter errors)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (serving.IsCompleted)
            {
                throw new InvalidOperationException($"serve ended with {await serving}:\n{output}\n{errors}");
            }

            try
            {
                using var response = await http.GetAsync(server + "/healthz", TestContext.Current.CancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"The server did not answer /healthz within 60 s:\n{output}\n{errors}");
    }

    /// <summary>Reads the code as the user would: from the sandbox phone inbox the server mounts.</summary>
    private static async Task<string> ReadCodeFromInboxAsync(string server)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 200; i++)
        {
            var json = JsonNode.Parse(await http.GetStringAsync(server + "/sandbox/_sandbox/messages?phone=12125550100", TestContext.Current.CancellationToken));
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
