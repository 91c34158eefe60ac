using System.Diagnostics;
using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Hosting;

/// <summary>The built command as a real child process: real streams, real environment, real exit codes.</summary>
public sealed class ProcessTests
{
    private static async Task<CliResult> RunProcessAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "otpgate.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task The_built_command_sends_reports_refusals_and_usage_errors_with_its_exit_codes()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);

        var sent = await RunProcessAsync(environment, "send", "--phone", "12125550100", "--json");
        var rejected = await RunProcessAsync(environment, "send", "--phone", "12125550107");
        var usage = await RunProcessAsync(environment, "send");

        Assert.True(sent.ExitCode == 0, sent.ToString());
        Assert.StartsWith("wamid.", sent.Json["messageId"]!.GetValue<string>());
        Assert.Equal(ExitCodes.Refused, rejected.ExitCode);
        Assert.Equal("", rejected.Out);
        Assert.StartsWith("Error: 1MSG did not send the message", rejected.Error);
        Assert.Single(rejected.Error.Trim().Split('\n'));
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);
        Assert.Contains("--phone", usage.Error);
    }
}
