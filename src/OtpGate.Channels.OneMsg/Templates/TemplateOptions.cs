namespace OtpGate.Channels.OneMsg.Templates;

/// <summary>
/// The authentication templates codes are sent with, bound from the <c>OneMsg</c> section:
/// <c>OneMsg:Template:{Name,Namespace,Language}</c> for the default locale, and <c>OneMsg:Templates:&lt;locale&gt;</c> for more.
/// </summary>
public sealed class TemplateOptions
{
    public TemplateSettings Template { get; set; } = new();

    public Dictionary<string, TemplateSettings> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class TemplateSettings
{
    public string Name { get; set; } = "";

    public string Namespace { get; set; } = "";

    public string Language { get; set; } = "";
}
