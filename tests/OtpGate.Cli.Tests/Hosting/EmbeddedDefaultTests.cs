using System.Net;
using System.Net.Sockets;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Hosting;

/// <summary>
/// With no 1MSG configuration the server runs its built-in sandbox, and <c>otpgate</c> finds it the same way: the
/// sandbox of the server at OTPGATE_SERVER_URL (default http://localhost:5080), its channel, token and template.
/// </summary>
public sealed class EmbeddedDefaultTests
{
    [Fact]
    public async Task With_no_OneMsg_settings_the_commands_use_the_sandbox_of_the_running_server_which_its_banner_names()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);
        var client = new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = served.Root };

        var templates = await Otpgate.RunAsync(client, "templates");
        var status = await Otpgate.RunAsync(client, "status");
        var sent = await Otpgate.RunAsync(client, "send", "--phone", "+1 212 555 0100", "--json");

        Assert.Contains($"  1MSG API:     {served.Root}/sandbox   (channel sandbox, token sandbox-token;", served.Out.ToString());
        Assert.True(templates.ExitCode == 0, templates.ToString());
        Assert.Matches(@"(?m)^registration_otp\s+en\s+otpgate_sandbox\s+AUTHENTICATION\s+approved\s+fits$", templates.Out);
        Assert.True(status.ExitCode == 0, status.ToString());
        // The whole base URL, /sandbox included.
        Assert.Equal($"Channel sandbox at {served.Root}/sandbox: connected (account active).", status.Out.Trim());
        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.StartsWith("wamid.", sent.Json["messageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_server_root_given_as_the_1msg_base_url_is_a_usage_error_naming_the_sandbox_address()
    {
        using var data = new TempDirectory();
        await using var served = await ServedServer.StartAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = data.Path }, data.Path);

        var guessed = await Otpgate.RunAsync(new Dictionary<string, string?>(), "templates", "--base-url", served.Root, "--channel", "sandbox", "--token", "sandbox-token");

        Assert.Equal(ExitCodes.Usage, guessed.ExitCode);
        var error = Assert.Single(guessed.ErrorLines);
        Assert.Contains($"{served.Root} is an OtpGate server, not a 1MSG API", error);
        Assert.Contains($"--base-url {served.Root}/sandbox", error);
        Assert.DoesNotContain("Unknown method", guessed.Error);
    }

    [Fact]
    public async Task With_no_OneMsg_settings_and_no_server_running_the_error_says_which_server_was_tried_and_how_to_start_one()
    {
        var nowhere = $"http://127.0.0.1:{UnusedPort()}";

        var result = await Otpgate.RunAsync(new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = nowhere }, "templates");

        Assert.Equal(ExitCodes.Unexpected, result.ExitCode);
        var error = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"Error: No OtpGate server answers at {nowhere}", error);
        Assert.Contains("otpgate serve", error);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
