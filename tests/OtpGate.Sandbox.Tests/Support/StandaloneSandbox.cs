using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OtpGate.Sandbox.Tests.Support;

/// <summary>The sandbox as its own process: <c>dotnet OtpGate.Sandbox.Host.dll --urls http://127.0.0.1:{port}</c>.</summary>
public sealed class StandaloneSandbox : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private StandaloneSandbox(Process process, string baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>The server root without a trailing slash; the API is at <c>{BaseUrl}/sandbox/...</c>.</summary>
    public string BaseUrl { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built sandbox host, OtpGate.Sandbox.Host.dll: copied next to the test assembly (with its runtimeconfig) by the project reference.</summary>
    public static string FindDll()
    {
        var here = AppContext.BaseDirectory;
        var dll = Path.Combine(here, "OtpGate.Sandbox.Host.dll");
        return File.Exists(dll) && File.Exists(Path.Combine(here, "OtpGate.Sandbox.Host.runtimeconfig.json"))
            ? dll
            : throw new FileNotFoundException($"OtpGate.Sandbox.Host.dll with its runtimeconfig.json was not found in {here}; build the test project.");
    }

    public static async Task<StandaloneSandbox> StartAsync()
    {
        var port = FreePort();
        var sandbox = Launch($"http://127.0.0.1:{port}", new Dictionary<string, string>());
        try
        {
            await sandbox.WaitUntilListeningAsync();
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }

        return sandbox;
    }

    /// <summary>Runs <c>--urls <paramref name="urls"/></c> until the process exits on its own; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(string urls, IReadOnlyDictionary<string, string>? environment = null)
    {
        await using var sandbox = Launch(urls, environment ?? new Dictionary<string, string>());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        await sandbox._process.WaitForExitAsync(deadline.Token);
        sandbox._process.WaitForExit(); // the last lines of output are in
        return (sandbox._process.ExitCode, sandbox.Output);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static StandaloneSandbox Launch(string urls, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(FindDll());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(urls);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var sandbox = new StandaloneSandbox(process, urls.TrimEnd('/'));
        process.OutputDataReceived += (_, e) => sandbox.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sandbox.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return sandbox;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // Waits for the sandbox's own answer, however slow its first request is on a loaded machine (its first answer
    // JIT-compiles the pipeline); the deadline only guards against a sandbox that never comes up.
    private async Task WaitUntilListeningAsync()
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The sandbox exited with {_process.ExitCode}:\n{Output}");
                }

                try
                {
                    using var response = await http.GetAsync($"{BaseUrl}/sandbox/status?token=sandbox-token", deadline.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(100, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The sandbox did not answer within 2 minutes:\n{Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
