using System.Diagnostics;
using System.Text.RegularExpressions;

namespace OtpGate.Cli.Tests.Support;

/// <summary>
/// The server as a real child process (<c>dotnet OtpGate.Server.dll</c>, as <c>dotnet run --project src/OtpGate.Server</c>
/// runs it, or <c>otpgate serve</c>), in a working directory of the test's choosing, its output captured; stopped by its own pid.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private bool _disposed;

    private ServerProcess(Process process) => _process = process;

    public CapturedWriter Out { get; } = new();

    public CapturedWriter Error { get; } = new();

    /// <summary>The root from the banner's "Sign up" line; empty until the server listens.</summary>
    public string Root => SignUpLine().Match(Out.ToString()) is { Success: true } match ? match.Groups[1].Value : "";

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ServerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run("OtpGate.Server.dll", workingDirectory, environment, args);

    /// <summary><c>otpgate serve</c> as a real child process.</summary>
    public static ServerProcess Serve(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Run("otpgate.dll", workingDirectory, environment, ["serve", .. args]);

    private static ServerProcess Run(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var server = new ServerProcess(Process.Start(start)!);
        server._process.OutputDataReceived += (_, e) => server.Out.WriteLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Error.WriteLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits until the server listens (its banner) and returns its root.</summary>
    public async Task<string> ListeningAsync()
    {
        await Wait.UntilAsync(() => Root.Length > 0 || _process.HasExited, 60_000);
        return Root.Length > 0 ? Root : throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Out}\n{Error}");
    }

    public async Task<int> ExitedAsync()
    {
        await _process.WaitForExitAsync(TestContext.Current.CancellationToken);
        _process.WaitForExit(); // the output handlers have seen the last line
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Sign up:\s+(http://127\.0\.0\.1:\d+)/")]
    private static partial Regex SignUpLine();
}
