using System.Diagnostics;

namespace OtpGate.Verification.Tests.Support;

/// <summary>The crash host (tests/OtpGate.Verification.CrashHost) as a child process whose output lines are collected.</summary>
public sealed class CrashHostProcess
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly System.Text.StringBuilder _output = new();

    private CrashHostProcess(Process process) => _process = process;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                return _output.ToString();
            }
        }
    }

    public static CrashHostProcess Start(string data, Uri sandbox, int first, int last, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "OtpGate.Verification.CrashHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, data, sandbox.ToString(), first.ToString(System.Globalization.CultureInfo.InvariantCulture), last.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var run = new CrashHostProcess(process);
        process.OutputDataReceived += (_, e) => run.Add(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => run.Add(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return run;
    }

    public async Task<bool> WaitForAsync(Func<string, bool> line, TimeSpan timeout)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (Lines.Any(line))
            {
                return true;
            }

            if (_process.HasExited)
            {
                await Task.Delay(200);
                return Lines.Any(line);
            }

            await Task.Delay(100);
        }

        return false;
    }

    public int ProcessId => _process.Id;

    /// <summary>SIGKILL: no shutdown code runs, exactly like a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    private void Add(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _output.AppendLine(line);
            if (stdout)
            {
                _lines.Add(line);
            }
        }
    }
}
