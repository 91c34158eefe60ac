using OtpGate.Channels.OneMsg.Templates;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Templates;
using OtpGate.Server.Hosting;
using OtpGate.Verification;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Storage;

namespace OtpGate.Cli.Doctor;

/// <summary>
/// The configuration the doctor checks, bound by the server's own registrations, and what the server's start-up check
/// says about it (<see cref="OptionProblems"/>).
/// </summary>
internal sealed record DoctorInputs(
    OneMsgOptions OneMsg,
    IReadOnlyList<ConfiguredTemplate> Templates,
    string? WebhookBaseUrl,
    VerificationOptions Verification,
    StorageOptions Storage,
    SecurityOptions Security,
    string DataDirectory,
    IReadOnlyList<string> OptionProblems)
{
    public static DoctorInputs Bind(CommandContext context)
    {
        var templates = new TemplateCatalog(context.Options<TemplateOptions>());
        var storage = context.Options<StorageOptions>();
        List<ConfiguredTemplate> configured = [new("", templates.Default)];
        configured.AddRange(templates.Locales.Select(l => new ConfiguredTemplate(l.Key, l.Value)));
        return new DoctorInputs(
            context.OneMsgOptions(),
            configured,
            context.Options<WebhookOptions>().WebhookBaseUrl,
            context.Options<VerificationOptions>(),
            storage,
            context.Options<SecurityOptions>(),
            storage.DataDirectory,
            context.OptionProblems());
    }
}

/// <summary>A template the configuration names: the default one (empty locale) or one under <c>OneMsg:Templates:&lt;locale&gt;</c>.</summary>
internal sealed record ConfiguredTemplate(string Locale, TemplateReference Reference)
{
    public string Suffix => Locale.Length == 0 ? "" : $":{Locale}";

    public string TitleSuffix => Locale.Length == 0 ? "" : $" ({Locale})";

    public string Key => Locale.Length == 0 ? "OneMsg:Template" : $"OneMsg:Templates:{Locale}";
}
