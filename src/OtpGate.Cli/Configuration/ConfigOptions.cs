using System.CommandLine;

namespace OtpGate.Cli.Configuration;

/// <summary>
/// The options that feed configuration. Each maps to the server's key (the README's configuration table), so a command line,
/// an appsettings file and environment variables all say the same thing. One instance per command tree: an
/// option records the commands it belongs to, so instances are never shared between trees (parallel runs).
/// </summary>
internal sealed class ConfigOptions
{
    public readonly Option<string?> Config = new("--config")
    {
        Description = "An appsettings JSON file with the server's keys (OneMsg, Storage, Security, Verification).",
        HelpName = "file",
    };

    public readonly Option<string[]> Set = new("--set")
    {
        Description = "Any configuration key, as Section:Key=value (repeatable), e.g. --set Verification:CodeLifetime=00:05:00.",
        HelpName = "key=value",
    };

    public readonly Option<string?> BaseUrl = Key("--base-url", "OneMsg:BaseUrl", "The 1MSG API base URL (default https://api.1msg.io; with no OneMsg key set at all, the sandbox of the server at OTPGATE_SERVER_URL, e.g. http://localhost:5080/sandbox).", "url");

    public readonly Option<string?> Channel = Key("--channel", "OneMsg:ChannelId", "The 1MSG channel id; on send, whatsapp or sms instead picks the channel to send by (and sets no key).", "id");

    /// <summary>On <c>send</c>, the values of <c>--channel</c> that name a channel to send by rather than a 1MSG channel id.</summary>
    public const string SmsChannel = "sms";

    public const string WhatsAppChannel = "whatsapp";

    /// <summary>Whether <paramref name="value"/> of <c>--channel</c> on <paramref name="command"/> names a channel (not a 1MSG channel id).</summary>
    public static bool NamesChannel(string command, string? value) => command == "send" && value is SmsChannel or WhatsAppChannel;

    public readonly Option<string?> Token = Key("--token", "OneMsg:Token",
        "The channel token; prefer the OneMsg__Token environment variable, which stays out of shell history.", "token");

    public readonly Option<string?> Template = Key("--template", "OneMsg:Template:Name", "The authentication template's name.", "name");

    public readonly Option<string?> Namespace = Key("--namespace", "OneMsg:Template:Namespace", "The template's namespace.", "namespace");

    public readonly Option<string?> Language = Key("--language", "OneMsg:Template:Language", "The template's language code, e.g. en or en_US.", "code");

    public readonly Option<string?> WebhookBaseUrl = Key("--webhook-base-url", "OneMsg:WebhookBaseUrl",
        "The server's public base URL that 1MSG calls back.", "url");

    public readonly Option<string?> DataDirectory = Key("--data-dir", "Storage:DataDirectory",
        "Where the server keeps its SQLite database and generated secrets (default: one folder per user, ~/.local/share/otpgate on Linux).", "dir");

    /// <summary>The option → configuration key pairs, in the order they are applied (later wins).</summary>
    public IReadOnlyList<(Option<string?> Option, string Key)> Keys =>
    [
        (BaseUrl, "OneMsg:BaseUrl"),
        (Channel, "OneMsg:ChannelId"),
        (Token, "OneMsg:Token"),
        (Template, "OneMsg:Template:Name"),
        (Namespace, "OneMsg:Template:Namespace"),
        (Language, "OneMsg:Template:Language"),
        (WebhookBaseUrl, "OneMsg:WebhookBaseUrl"),
        (DataDirectory, "Storage:DataDirectory"),
    ];

    /// <summary>Adds the file and <c>--set</c> options, plus the 1MSG channel options.</summary>
    public void AddChannelOptions(Command command)
    {
        command.Options.Add(Config);
        command.Options.Add(Set);
        command.Options.Add(BaseUrl);
        command.Options.Add(Channel);
        command.Options.Add(Token);
    }

    /// <summary>The channel options plus the template options.</summary>
    public void AddTemplateOptions(Command command)
    {
        AddChannelOptions(command);
        command.Options.Add(Template);
        command.Options.Add(Namespace);
        command.Options.Add(Language);
    }

    private static Option<string?> Key(string name, string key, string description, string helpName) => new(name)
    {
        Description = $"{description} Sets {key}.",
        HelpName = helpName,
    };
}
