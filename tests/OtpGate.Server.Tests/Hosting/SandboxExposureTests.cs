using System.Net;
using System.Net.Http.Json;
using System.Text;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>
/// The embedded sandbox lists every code it "sends" and lets anyone redirect the webhook, so it is for this machine
/// only: the server will not listen beyond loopback with it, and its routes refuse requests from elsewhere, unless
/// Sandbox:AllowRemoteAccess=true.
/// </summary>
public sealed class SandboxExposureTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "otpgate-server-tests", "exposure-" + Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (HttpMethod Method, string Path)[] SandboxRoutes =
    [
        (HttpMethod.Get, "/sandbox/_sandbox/messages?limit=500"),
        (HttpMethod.Get, "/sandbox/inbox"),
        (HttpMethod.Get, "/sandbox/sandbox/webhook?token=sandbox-token"),
        (HttpMethod.Post, "/sandbox/sandbox/webhook?token=sandbox-token"),
        (HttpMethod.Get, "/sandbox/sandbox/settings?token=sandbox-token"),
        (HttpMethod.Post, "/sandbox/sandbox/settings?token=sandbox-token"),
        (HttpMethod.Get, "/sandbox/sandbox/status?token=sandbox-token"),
    ];

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private Dictionary<string, string> Environment(params (string Key, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = _data,
            ["Security__Secret"] = ServerFactory.Secret,
            ["Api__Keys__tests"] = ServerFactory.ApiKey,
        };
        foreach (var (key, value) in more)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static HttpRequestMessage Request(HttpMethod method, string path) => new(method, path)
    {
        Content = method == HttpMethod.Post ? new StringContent("""{"webhookUrl": "https://attacker.example/hook"}""", Encoding.UTF8, "application/json") : null,
    };

    [Fact]
    public async Task The_server_with_the_embedded_sandbox_will_not_listen_on_every_address_and_says_why_in_one_sentence()
    {
        var (exitCode, _, errors) = await ServerProcess.RunUntilExitAsync(Environment(), $"http://0.0.0.0:{ServerProcess.FreePort()}");

        Assert.Equal(1, exitCode);
        Assert.Contains("OtpGate cannot start; fix the configuration:", errors, StringComparison.Ordinal);
        Assert.Matches(@"\n  - The 1MSG sandbox would answer beyond this machine on http://0\.0\.0\.0:\d+, and it shows every code it ""sends"" "
            + @"and lets anyone redirect its webhook: listen on loopback only \(e\.g\. --urls http://localhost:\d+\), "
            + @"or set Sandbox:AllowRemoteAccess=true if other machines must reach it\.\r?\n", errors);
    }

    [Fact]
    public async Task With_remote_access_allowed_it_listens_on_every_address_and_answers_other_machines()
    {
        await using var server = await ServerProcess.StartAsync(Environment(("Sandbox__AllowRemoteAccess", "true")), host: "0.0.0.0");
        using var other = OtherAddressClient.Create(server.Root);

        using var messages = await other.GetAsync("/sandbox/_sandbox/messages?limit=500", Ct);

        Assert.Equal(HttpStatusCode.OK, messages.StatusCode);
        Assert.Contains("Now listening on: http://0.0.0.0:", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_remote_access_setting_that_is_not_true_or_false_stops_the_server_with_a_sentence_naming_it()
    {
        var (exitCode, _, errors) = await ServerProcess.RunUntilExitAsync(
            Environment(("Sandbox__AllowRemoteAccess", "yes")), $"http://127.0.0.1:{ServerProcess.FreePort()}");

        Assert.Equal(1, exitCode);
        Assert.Contains("  - Failed to convert configuration value 'yes' at 'Sandbox:AllowRemoteAccess' to type 'System.Boolean'.", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_sandbox_route_refuses_another_machine_with_a_403_problem_and_the_rest_of_the_server_does_not()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        using var other = OtherAddressClient.Create(server.Root);
        using var local = server.CreateClient();

        foreach (var (method, path) in SandboxRoutes)
        {
            using var refused = await other.SendAsync(Request(method, path), Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {refused.StatusCode}");
            var problem = await ServerFactory.ProblemAsync(refused);
            Assert.Contains("Sandbox:AllowRemoteAccess=true", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var signUp = await other.GetAsync("/", Ct);
        using var inbox = await local.GetAsync("/sandbox/inbox", Ct);
        var webhook = await local.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/sandbox/sandbox/webhook?token=sandbox-token", Ct);
        Assert.Equal(HttpStatusCode.OK, signUp.StatusCode);
        Assert.Equal(HttpStatusCode.OK, inbox.StatusCode);
        Assert.DoesNotContain("attacker.example", webhook!.ToJsonString(), StringComparison.Ordinal); // the refused POSTs changed nothing
        Assert.Contains(server.Logs.Entries, e => e.Text.StartsWith("Sandbox refused /sandbox/_sandbox/messages to ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_relayed_by_a_proxy_on_this_machine_is_refused_too()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        using var local = server.CreateClient();

        using var direct = await local.GetAsync("/sandbox/_sandbox/messages", Ct);
        using var proxied = await local.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/sandbox/_sandbox/messages") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } }, Ct);

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, proxied.StatusCode);
    }
}
