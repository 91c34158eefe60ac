using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Hosting;

/// <summary>
/// One data folder per user, wherever the server, <c>otpgate serve</c> or <c>otpgate doctor</c> is started: here
/// <c>$XDG_DATA_HOME/otpgate</c>, with XDG_DATA_HOME pointed at a temp folder.
/// </summary>
public sealed class DataFolderTests
{
    [Fact]
    public async Task The_server_and_doctor_started_from_different_directories_use_the_same_data_folder_and_name_it()
    {
        using var temp = new TempDirectory();
        var xdg = Directory.CreateDirectory(Path.Combine(temp.Path, "xdg")).FullName;
        var serverDirectory = Directory.CreateDirectory(Path.Combine(temp.Path, "server-started-here")).FullName;
        var doctorDirectory = Directory.CreateDirectory(Path.Combine(temp.Path, "doctor-started-here")).FullName;
        var folder = Path.Combine(xdg, "otpgate");
        var environment = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = xdg, ["HOME"] = temp.Path };
        await using var server = ServerProcess.Start(serverDirectory, environment, "--urls", "http://127.0.0.1:0");
        var root = await server.ListeningAsync();
        // The server registers its webhook with its sandbox once it listens; doctor checks that it did.
        await Wait.UntilAsync(() => server.Out.ToString().Contains("Webhook registered with 1MSG", StringComparison.Ordinal), 60_000);

        var doctor = await RunAsync(environment, doctorDirectory, root, "doctor");
        var serverOut = server.Out.ToString();
        await server.DisposeAsync();
        await using var served = await ServedServer.StartAsync(environment, doctorDirectory);

        Assert.Contains($"  Data:         {folder}", serverOut);
        // The first line about the secret names the real path, not ./data.
        Assert.Contains($"generated into {Path.Combine(folder, "secret.key")}", serverOut);
        Assert.True(doctor.ExitCode == 0, doctor.ToString());
        Assert.Contains($"SQLite at {Path.Combine(folder, "otpgate.db")}, schema version", doctor.Out);
        Assert.Contains($"Generated secret in {Path.Combine(folder, "secret.key")}", doctor.Out);
        Assert.False(Directory.Exists(Path.Combine(serverDirectory, "data")));
        Assert.False(Directory.Exists(Path.Combine(doctorDirectory, "data")));

        // Requests (doctor's, to the sandbox) are not logged one by one, and data protection does not warn.
        Assert.DoesNotContain("Request starting", serverOut);
        Assert.DoesNotContain("DataProtection", serverOut);

        // `otpgate serve` from elsewhere uses the same folder: the development key is the one made at the first start.
        Assert.Contains($"  Data:         {folder}", served.Out.ToString());
        Assert.Contains("API key:      the development key printed on the first start", served.Out.ToString());
    }

    [Fact]
    public async Task A_second_server_on_the_same_address_says_so_in_one_sentence_with_the_urls_hint_and_exits_1_and_serve_logs_quietly()
    {
        using var temp = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["Storage__DataDirectory"] = Path.Combine(temp.Path, "first") };
        await using var first = ServerProcess.Serve(temp.Path, environment, "--urls", "http://127.0.0.1:0");
        var root = await first.ListeningAsync();
        using (var http = new HttpClient())
        {
            // The sign-up page (its anti-forgery token needs the data protection key ring) and the inbox.
            await http.GetStringAsync(root + "/", TestContext.Current.CancellationToken);
            await http.GetStringAsync(root + "/sandbox/inbox", TestContext.Current.CancellationToken);
        }

        await using var second = ServerProcess.Start(temp.Path, new Dictionary<string, string?> { ["Storage__DataDirectory"] = Path.Combine(temp.Path, "second") }, "--urls", root);
        var exitCode = await second.ExitedAsync();
        var inProcess = await RunAsync(new Dictionary<string, string?> { ["Storage__DataDirectory"] = Path.Combine(temp.Path, "third") }, temp.Path, root, "serve", "--urls", root);

        Assert.Equal(1, exitCode);
        var sentence = $"OtpGate cannot start: {root} is already in use (another OtpGate is probably running there); stop it, or start this one on another address with --urls http://127.0.0.1:";
        Assert.StartsWith(sentence, Assert.Single(Lines(second.Error.ToString())));
        Assert.DoesNotContain("   at ", second.Out.ToString() + second.Error);
        Assert.Equal(ExitCodes.Usage, inProcess.ExitCode);
        Assert.StartsWith(sentence, Assert.Single(Lines(inProcess.Error)));

        // `otpgate serve` logs neither each request nor data protection's warnings about its key ring.
        Assert.DoesNotContain("Request starting", first.Out.ToString());
        Assert.DoesNotContain("Request finished", first.Out.ToString());
        Assert.DoesNotContain("DataProtection", first.Out.ToString());
        Assert.DoesNotContain("No XML encryptor", first.Out.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory, string root, params string[] args)
    {
        var stdout = new CapturedWriter();
        var stderr = new CapturedWriter();
        var withServer = new Dictionary<string, string?>(environment) { ["OTPGATE_SERVER_URL"] = root };
        var exitCode = await CliApp.RunAsync(args, new CliConsole(stdout, stderr, withServer, workingDirectory), TestContext.Current.CancellationToken);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
