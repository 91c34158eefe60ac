using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Cli.Configuration;
using OtpGate.Cli.Output;
using OtpGate.OneMsg;

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

    /// <summary>Binds a section the way the server does; a value of the wrong type is a usage error naming the key.</summary>
    public T Bind<T>(string section)
        where T : new()
    {
        try
        {
            return Configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException e)
        {
            throw CliException.Usage($"The {section} configuration has a value of the wrong type: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>The 1MSG client, registered exactly as the server registers it (timeouts, retries, redacting logger).</summary>
    public OneMsgClient OneMsg()
    {
        if (_services is null)
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddSingleton(Time);
            services.AddOneMsgClient(Configuration.GetSection(OtpGate.OneMsg.OneMsgOptions.SectionName));
            _services = services.BuildServiceProvider();
        }

        try
        {
            return _services.GetRequiredService<OneMsgClient>();
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

    public OneMsgOptions OneMsgOptions() => Bind<OneMsgOptions>(OtpGate.OneMsg.OneMsgOptions.SectionName);

    public void WriteJson<T>(T value) => Out.WriteLine(JsonOutput.Serialize(value));

    public void Dispose() => _services?.Dispose();
}
