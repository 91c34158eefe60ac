using System.CommandLine;
using System.Text.Json.Nodes;
using OtpGate.Cli.Output;
using OtpGate.Cli.Verify;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli;

/// <summary>
/// The <c>--server</c> and <c>--admin-key</c> options of the admin commands (<c>services</c>, their
/// <c>credentials</c>, <c>events</c>), and a call to the server's admin API through them.
/// </summary>
internal sealed record AdminConnection(Option<string?> Server, Option<string?> AdminKey)
{
    public const string AdminKeyVariable = "OTPGATE_ADMIN_KEY";

    public static AdminConnection Create() => new(
        new Option<string?>("--server") { Description = $"The server's base URL (default {CommandContext.ServerUrlVariable}, else {EmbeddedDefault.ServerUrl}).", HelpName = "url" },
        new Option<string?>("--admin-key") { Description = $"An admin key from the server's Api:AdminKeys (default {AdminKeyVariable}).", HelpName = "key" });

    /// <summary>Adds both options, and <c>--json</c>, to each command.</summary>
    public void AddTo(CommandRuntime runtime, Command parent, IEnumerable<Command> commands)
    {
        foreach (var command in commands)
        {
            command.Options.Add(Server);
            command.Options.Add(AdminKey);
            command.Options.Add(runtime.Json);
            parent.Subcommands.Add(command);
        }
    }

    public string Key(CommandContext context)
    {
        var key = context.Parse.GetValue(AdminKey) ?? context.Console.Variable(AdminKeyVariable);
        return string.IsNullOrWhiteSpace(key)
            ? throw CliException.Usage($"No admin key: pass --admin-key or set {AdminKeyVariable} (one of the server's Api:AdminKeys).")
            : key;
    }

    public Uri ServerUrl(CommandContext context) =>
        context.Parse.GetValue(Server) is { } text
            ? Uri.TryCreate(text, UriKind.Absolute, out var given) && given.Scheme is "http" or "https"
                ? given
                : throw CliException.Usage($"The server URL \"{text}\" is not an absolute http(s) URL, such as {EmbeddedDefault.ServerUrl}.")
            : context.ServerUrl();

    /// <summary>
    /// Calls the admin API; a refusal becomes the CLI's error (its sentence passed through <paramref name="wording"/>, so
    /// a command can name its own options), and with <c>--json</c> the answer is printed as it came.
    /// </summary>
    public async Task<ServerAnswer> CallAsync(
        CommandContext context, Func<ServerApi, CancellationToken, Task<ServerAnswer>> call, CancellationToken cancellationToken, Func<string, string>? wording = null)
    {
        var key = Key(context);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var answer = await call(new ServerApi(http, ServerUrl(context), key), cancellationToken);
        if (!answer.IsSuccess)
        {
            var sentence = answer.Sentence();
            throw CliException.Refused(wording is null ? sentence : wording(sentence));
        }

        if (context.Json)
        {
            context.Out.WriteLine((answer.Items ?? (JsonNode?)answer.Body)?.ToJsonString(JsonOutput.Options) ?? "null");
        }

        return answer;
    }
}
