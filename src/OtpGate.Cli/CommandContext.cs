using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Cli.Configuration;
using OtpGate.Cli.Output;
using OtpGate.OneMsg;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli;

/// <summary>What one command run needs: its parse result, console, configuration, output style and (on demand) a 1MSG client.</summary>
internal sealed class CommandContext(ParseResult parse, CommandRuntime runtime) : IDisposable
{
    private IConfigurationRoot? _configuration;
    private ServiceProvider? _services;

    public ParseResult Parse { get; } = parse;

    public CliConsole Console { get; } = runtime.Console;

    public TimeProvider Time { get; } = runtime.Time;

    public bool Json => Parse.GetValue(runtime.Json);

    public Style Style { get; } = new(runtime.Console.UseColor);

    public TextWriter Out => Console.Out;

    public IConfiguration Configuration => _configuration ??= CliConfiguration.Build(Parse, runtime.Config, Console);

    /// <summary>
    /// The options as the server binds them: the server's own registrations (<see cref="ServerOptions"/>), for a real
    /// channel, not validated here. A value of the wrong type is a usage error naming the key.
    /// </summary>
    public T Options<T>()
        where T : class
    {
        try
        {
            return ServerOptions.Configured<T>(Services);
        }
        catch (InvalidOperationException e)
        {
            throw CliException.Usage($"The configuration has a value of the wrong type: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>What the server's start-up check would stop with, in its words; none when every option is valid.</summary>
    public IReadOnlyList<string> OptionProblems() => ServerOptions.Problems(Services);

    /// <summary>The 1MSG client, registered exactly as the server registers it (timeouts, retries, redacting logger).</summary>
    public OneMsgClient OneMsg()
    {
        try
        {
            return Services.GetRequiredService<OneMsgClient>();
        }
        catch (OptionsValidationException e)
        {
            throw CliException.Usage("The 1MSG connection is not configured: " + string.Join(" ", e.Failures));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            throw CliException.Usage($"The OneMsg configuration has a value of the wrong type: {e.Message.TrimEnd('.')}.");
        }
    }

    public OneMsgOptions OneMsgOptions() => Options<OneMsgOptions>();

    private ServiceProvider Services => _services ??= ServerOptions.BuildChecked(Configuration, OneMsgMode.RealChannel, services =>
    {
        services.AddSingleton(Time);
        services.AddOneMsgClient();
    });

    public void WriteJson<T>(T value) => Out.WriteLine(JsonOutput.Serialize(value));

    public void Dispose() => _services?.Dispose();
}
