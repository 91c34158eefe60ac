using System.CommandLine;
using Microsoft.Extensions.Configuration;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Configuration;

/// <summary>
/// Builds configuration the way the server does, lowest precedence first: the <c>--config</c> file, environment
/// variables (<c>OneMsg__Token</c> → <c>OneMsg:Token</c>), then options on the command line; and, above them all, the
/// data folder made absolute.
/// </summary>
internal static class CliConfiguration
{
    public static IConfigurationRoot Build(ParseResult parse, ConfigOptions options, CliConsole console)
    {
        var builder = new ConfigurationBuilder();
        if (parse.GetValue(options.Config) is { Length: > 0 } file)
        {
            var path = Path.GetFullPath(file, console.WorkingDirectory);
            if (!File.Exists(path))
            {
                throw CliException.Usage($"The configuration file {path} does not exist.");
            }

            builder.AddJsonFile(path, optional: false, reloadOnChange: false);
        }

        builder.AddInMemoryCollection(FromEnvironment(console.Environment));
        builder.AddInMemoryCollection(FromCommandLine(parse, options));
        try
        {
            // The data folder as the server decides it (DataFolder), so that doctor and serve agree with the server
            // wherever each is started.
            var folder = DataFolder.Resolve(builder.Build(), console.WorkingDirectory, console.Variable);
            builder.AddInMemoryCollection([KeyValuePair.Create(DataFolder.Key, (string?)folder)]);
            return builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw CliException.Usage($"The configuration file is not valid JSON: {e.Message.TrimEnd('.')}.");
        }
    }

    /// <summary>Like <c>AddEnvironmentVariables()</c>: every variable, with <c>__</c> read as the section separator.</summary>
    internal static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IReadOnlyDictionary<string, string?> environment) =>
        environment.Select(e => KeyValuePair.Create(e.Key.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), e.Value));

    private static List<KeyValuePair<string, string?>> FromCommandLine(ParseResult parse, ConfigOptions options)
    {
        var values = new List<KeyValuePair<string, string?>>();
        foreach (var pair in parse.GetValue(options.Set) ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // The value is not echoed: it may be a secret typed in the wrong place.
                throw CliException.Usage("--set expects Section:Key=value, for example --set OneMsg:ChannelId=359900.");
            }

            values.Add(KeyValuePair.Create(pair[..equals].Trim().Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal), (string?)pair[(equals + 1)..]));
        }

        foreach (var (option, key) in options.Keys)
        {
            if (parse.GetResult(option) is not null && parse.GetValue(option) is { } value
                && !(option == options.Channel && ConfigOptions.NamesChannel(parse.CommandResult.Command.Name, value)))
            {
                values.Add(KeyValuePair.Create(key, (string?)value));
            }
        }

        return values;
    }
}
