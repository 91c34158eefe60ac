using System.Text.RegularExpressions;

namespace OtpGate.Cli.Tests.Support;

/// <summary>
/// <c>otpgate serve --urls http://127.0.0.1:0</c> run in-process with its own streams, environment and working
/// directory; <see cref="Root"/> is read from its banner once it listens, so the port is always a free one.
/// </summary>
public sealed partial class ServedServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private Task<int>? _serving;

    public CapturedWriter Out { get; } = new();

    public CapturedWriter Error { get; } = new();

    public string Root { get; private set; } = "";

    public static async Task<ServedServer> StartAsync(IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var server = new ServedServer();
        var console = new CliConsole(server.Out, server.Error, environment, workingDirectory);
        server._serving = CliApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], console, server._stop.Token);
        await Wait.UntilAsync(() => SignUpLine().IsMatch(server.Out.ToString()) || server._serving.IsCompleted, 60_000);
        if (server._serving.IsCompleted)
        {
            throw new InvalidOperationException($"serve ended with {await server._serving}:\n{server.Out}\n{server.Error}");
        }

        server.Root = SignUpLine().Match(server.Out.ToString()).Groups[1].Value;
        return server;
    }

    /// <summary>
    /// For the admin commands' tests: <c>otpgate serve</c> on <paramref name="dataDirectory"/> with the admin key
    /// <c>Api:AdminKeys:ops</c>, and any <paramref name="more"/> settings.
    /// </summary>
    public static Task<ServedServer> StartWithAdminKeyAsync(string dataDirectory, string adminKey, IReadOnlyDictionary<string, string?>? more = null)
    {
        var environment = new Dictionary<string, string?> { ["Storage__DataDirectory"] = dataDirectory, ["Api__AdminKeys__ops"] = adminKey };
        foreach (var (name, value) in more ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return StartAsync(environment, dataDirectory);
    }

    /// <summary>What the admin commands read: this server's address and <paramref name="adminKey"/>.</summary>
    public IReadOnlyDictionary<string, string?> AdminEnvironment(string adminKey) =>
        new Dictionary<string, string?> { ["OTPGATE_SERVER_URL"] = Root, ["OTPGATE_ADMIN_KEY"] = adminKey };

    /// <summary>Stops the server (Ctrl+C) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _serving!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_serving is { IsCompleted: false })
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"Sign up:\s+(http://127\.0\.0\.1:\d+)/")]
    private static partial Regex SignUpLine();
}
