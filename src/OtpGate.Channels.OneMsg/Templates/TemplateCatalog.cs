using OtpGate.OneMsg.Templates;

namespace OtpGate.Channels.OneMsg.Templates;

/// <summary>Chooses the template for a locale: exact match, then its language (<c>pt_BR</c> → <c>pt</c>), then the default.</summary>
public sealed class TemplateCatalog
{
    private readonly Dictionary<string, TemplateReference> _byLocale = new(StringComparer.OrdinalIgnoreCase);

    public TemplateCatalog(TemplateOptions options)
    {
        Default = ToReference(options.Template);
        foreach (var (locale, settings) in options.Templates)
        {
            var reference = ToReference(settings);
            _byLocale[Normalize(locale)] = reference with
            {
                Namespace = string.IsNullOrWhiteSpace(reference.Namespace) ? Default.Namespace : reference.Namespace,
                Language = string.IsNullOrWhiteSpace(reference.Language) ? locale : reference.Language,
            };
        }
    }

    public TemplateReference Default { get; }

    public IReadOnlyDictionary<string, TemplateReference> Locales => _byLocale;

    public TemplateReference Resolve(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return Default;
        }

        var normalized = Normalize(locale);
        if (_byLocale.TryGetValue(normalized, out var exact))
        {
            return exact;
        }

        var separator = normalized.IndexOf('_', StringComparison.Ordinal);
        return separator > 0 && _byLocale.TryGetValue(normalized[..separator], out var language) ? language : Default;
    }

    private static string Normalize(string locale) => locale.Trim().Replace('-', '_');

    private static TemplateReference ToReference(TemplateSettings settings) =>
        new(settings.Name.Trim(), settings.Namespace.Trim(), settings.Language.Trim());
}
