using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OtpGate.Server.Tests.Support;

/// <summary>
/// The built server (OtpGate.Server.dll, copied next to the tests by the project reference) as its own process on a
/// free loopback port, configured through environment variables the way an operator would.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServerProcess(Process process, Uri root)
    {
        _process = process;
        Root = root;
    }

    public Uri Root { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Starts the server listening on <paramref name="host"/> (loopback unless a test says otherwise) and waits until it is healthy.</summary>
    public static async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string> environment, int? port = null, string host = "127.0.0.1")
    {
        port ??= FreePort();
        var server = Launch(environment, $"http://{host}:{port}", new Uri($"http://127.0.0.1:{port}"));
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>
    /// Runs a server that is expected to refuse to start, with <c>--urls <paramref name="urls"/></c> (a free loopback port
    /// unless given), and waits for it to exit; returns its exit code, standard output and standard error.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunUntilExitAsync(
        IReadOnlyDictionary<string, string> environment, string? urls = null, TimeSpan? within = null)
    {
        within ??= TimeSpan.FromSeconds(60);
        using var process = new Process { StartInfo = StartInfo(environment, urls ?? $"http://127.0.0.1:{FreePort()}") };
        process.Start();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(within.Value);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"The server did not exit within {within.Value.TotalSeconds} s:\n{await output}\n{await errors}");
        }

        return (process.ExitCode, await output, await errors);
    }

    private static ServerProcess Launch(IReadOnlyDictionary<string, string> environment, string urls, Uri root)
    {
        var process = new Process { StartInfo = StartInfo(environment, urls) };
        var server = new ServerProcess(process, root);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment, string urls)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "OtpGate.Server.dll"), "--urls", urls })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>SIGKILL: nothing of the server's shutdown runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = Root, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The server exited at start:\n" + Output);
            }

            try
            {
                using var response = await client.GetAsync("/healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not become healthy within 60 s:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    /// <summary>A loopback port nobody listens on (bound to port 0, then released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
