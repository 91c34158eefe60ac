using OtpGate.Channels.OneMsg.Templates;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Templates;
using OtpGate.Verification;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Storage;

namespace OtpGate.Cli.Doctor;

/// <summary>The configuration the doctor checks, bound from the same sections and keys as the server.</summary>
internal sealed record DoctorInputs(
    OneMsgOptions OneMsg,
    IReadOnlyList<ConfiguredTemplate> Templates,
    string? WebhookBaseUrl,
    VerificationOptions Verification,
    StorageOptions Storage,
    SecurityOptions Security,
    string DataDirectory)
{
    public static DoctorInputs Bind(CommandContext context)
    {
        var templates = new TemplateCatalog(context.Bind<TemplateOptions>(OneMsgOptions.SectionName));
        var storage = context.Bind<StorageOptions>(StorageOptions.SectionName);
        List<ConfiguredTemplate> configured = [new("", templates.Default)];
        configured.AddRange(templates.Locales.Select(l => new ConfiguredTemplate(l.Key, l.Value)));
        return new DoctorInputs(
            context.OneMsgOptions(),
            configured,
            context.Configuration["OneMsg:WebhookBaseUrl"],
            context.Bind<VerificationOptions>(VerificationOptions.SectionName),
            storage,
            context.Bind<SecurityOptions>(SecurityOptions.SectionName),
            Path.GetFullPath(string.IsNullOrWhiteSpace(storage.DataDirectory) ? "./data" : storage.DataDirectory, context.Console.WorkingDirectory));
    }
}

/// <summary>A template the configuration names: the default one (empty locale) or one under <c>OneMsg:Templates:&lt;locale&gt;</c>.</summary>
internal sealed record ConfiguredTemplate(string Locale, TemplateReference Reference)
{
    public string Suffix => Locale.Length == 0 ? "" : $":{Locale}";

    public string TitleSuffix => Locale.Length == 0 ? "" : $" ({Locale})";

    public string Key => Locale.Length == 0 ? "OneMsg:Template" : $"OneMsg:Templates:{Locale}";
}
