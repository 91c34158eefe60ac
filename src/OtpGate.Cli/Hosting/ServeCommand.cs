using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Configuration;

namespace OtpGate.Cli.Hosting;

/// <summary>
/// <c>otpgate serve [server options…]</c>: runs the OtpGate server exactly as <c>dotnet run --project src/OtpGate.Server</c>
/// does, in the current directory (so <c>./data</c> and <c>appsettings.json</c> are found where they are), as a child
/// process: the server is an ASP.NET Core app whose identity (Razor pages, static files) belongs to its own entry
/// assembly. Arguments the command does not know (<c>--urls</c>, <c>--OneMsg:ChannelId=…</c>) go to the server;
/// <c>--config</c> and <c>--set</c> reach it as environment variables. Ctrl+C stops it gracefully.
/// </summary>
internal static class ServeCommand
{
    private const string ServerDll = "OtpGate.Server.dll";
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(15);

    public static Command Create(CommandRuntime runtime)
    {
        var command = new Command("serve", "Run the OtpGate server (HTTP API, webhook receiver, sign-up app) until Ctrl+C; other arguments, such as --urls, go to the server.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.Options.Add(runtime.Config.Config);
        command.Options.Add(runtime.Config.Set);
        runtime.SetAction(command, async (context, cancellationToken) =>
        {
            var dll = Path.Combine(AppContext.BaseDirectory, ServerDll);
            if (!File.Exists(dll))
            {
                throw new CliException(ExitCodes.Unexpected, $"The server is not available in this build of otpgate: {ServerDll} is missing from {AppContext.BaseDirectory}.");
            }

            using var process = Process.Start(StartInfo(context, dll))
                ?? throw new CliException(ExitCodes.Unexpected, "The server process could not be started.");
            var output = PumpAsync(process.StandardOutput, context.Out);
            var errors = PumpAsync(process.StandardError, context.Console.Error);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await StopAsync(process);
            }

            await Task.WhenAll(output, errors);
            return process.ExitCode switch
            {
                0 => ExitCodes.Success,
                // The server exits with 1 when its configuration is wrong; it has printed which keys.
                1 => throw CliException.Usage("The server did not start: its configuration is wrong (see above)."),
                _ when cancellationToken.IsCancellationRequested => ExitCodes.Success,
                var code => throw new CliException(ExitCodes.Unexpected, $"The server stopped with exit code {code}."),
            };
        });
        return command;
    }

    private static ProcessStartInfo StartInfo(CommandContext context, string dll)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = context.Console.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // A published tool has no OtpGate.Server.deps.json, and without one the host finds no native SQLite library;
        // the command's own deps.json lists everything the server needs (it references the server).
        var baseDirectory = AppContext.BaseDirectory;
        var serverDeps = Path.Combine(baseDirectory, "OtpGate.Server.deps.json");
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(File.Exists(serverDeps) ? serverDeps : Path.Combine(baseDirectory, "otpgate.deps.json"));
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(Path.Combine(baseDirectory, "OtpGate.Server.runtimeconfig.json"));
        start.ArgumentList.Add(dll);
        var arguments = context.Parse.UnmatchedTokens;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var webRoot = Path.Combine(AppContext.BaseDirectory, "server-wwwroot");
        if (Directory.Exists(webRoot) && !arguments.Any(a => a.StartsWith("--webroot", StringComparison.OrdinalIgnoreCase)))
        {
            start.ArgumentList.Add("--webroot");
            start.ArgumentList.Add(webRoot);
        }

        // The command's environment (the real one, or a test's), then --config and --set flattened on top.
        foreach (var (name, value) in context.Console.Environment)
        {
            start.Environment[name] = value;
        }

        foreach (var (key, value) in context.Configuration.AsEnumerable().Where(p => p.Value is not null))
        {
            start.Environment[key.Replace(ConfigurationPath.KeyDelimiter, "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private static async Task PumpAsync(StreamReader from, TextWriter to)
    {
        while (await from.ReadLineAsync() is { } line)
        {
            lock (to)
            {
                to.WriteLine(line);
                to.Flush();
            }
        }
    }

    /// <summary>SIGTERM first, so the server finishes in-flight sends; a kill only after the grace period.</summary>
    private static async Task StopAsync(Process process)
    {
        if (!OperatingSystem.IsWindows())
        {
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
            if (kill is not null)
            {
                await kill.WaitForExitAsync();
            }
        }

        using var grace = new CancellationTokenSource(GracePeriod);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The <c>dotnet</c> host that runs this command (an installed tool runs through a shim, not <c>dotnet</c>).</summary>
    private static string DotnetHost()
    {
        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } path && Path.GetFileName(path) == name)
        {
            return path;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → <root>/dotnet
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var candidate = runtime is null ? null : Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", name));
        return candidate is not null && File.Exists(candidate) ? candidate : name;
    }
}
