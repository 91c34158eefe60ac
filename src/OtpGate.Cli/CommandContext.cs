using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Cli.Configuration;
using OtpGate.Cli.Output;
using OtpGate.OneMsg;
using OtpGate.Sandbox;
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
    /// The options as the server binds them: the server's own registrations (<see cref="ServerOptions"/>), for the
    /// 1MSG the server would use (<see cref="Mode"/>), not validated here. A value of the wrong type is a usage error naming the key.
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

    /// <summary>
    /// Which 1MSG the commands talk to, decided as the server decides it: with no <c>OneMsg</c> connection key set, the
    /// embedded default, the sandbox of the OtpGate server at <see cref="ServerUrl"/>.
    /// </summary>
    public OneMsgMode Mode => OneMsgMode.From(Configuration);

    /// <summary>The OtpGate server this command talks to: <c>OTPGATE_SERVER_URL</c>, else the server's default address.</summary>
    public Uri ServerUrl()
    {
        var text = Console.Variable(ServerUrlVariable) is { Length: > 0 } configured ? configured : EmbeddedDefault.ServerUrl;
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw CliException.Usage($"{ServerUrlVariable} is \"{text}\"; it must be an absolute http(s) URL, such as {EmbeddedDefault.ServerUrl}.");
    }

    public const string ServerUrlVariable = "OTPGATE_SERVER_URL";

    private ServiceProvider Services => _services ??= ServerOptions.BuildChecked(Configuration, Mode, services =>
    {
        services.AddSingleton(Time);
        services.AddOneMsgClient();
        if (Mode.IsSandbox)
        {
            services.AddOptions<SandboxOptions>().Bind(Configuration.GetSection(SandboxOptions.SectionName));
            services.PointOneMsgAt(EmbeddedDefault.SandboxApi(ServerUrl()));

            // As the server in sandbox mode: its webhook is at the address it listens on.
            services.AddOptions<WebhookOptions>().PostConfigure(options => options.WebhookBaseUrl ??= ServerUrl().GetLeftPart(UriPartial.Authority));
        }
    });

    public void WriteJson<T>(T value) => Out.WriteLine(JsonOutput.Serialize(value));

    public void Dispose() => _services?.Dispose();
}
