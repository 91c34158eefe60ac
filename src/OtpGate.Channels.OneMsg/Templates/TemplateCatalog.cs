using OtpGate.OneMsg.Templates;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg.Templates;

/// <summary>
/// Chooses the template for a locale: exact match, then its language (<c>pt_BR</c> → <c>pt</c>), then the default; or
/// completes the one a service names for the locale.
/// </summary>
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

    /// <summary>
    /// The template a service names for a locale, as 1MSG needs it: the name the service gave, with the namespace and
    /// language configured for that locale (<c>OneMsg:Templates:&lt;locale&gt;</c>, or <c>OneMsg:Template</c> when its
    /// language is that locale), else the default namespace and the locale itself as the language. A 1MSG channel has
    /// one namespace for all its templates, so only the name differs between services.
    /// </summary>
    public TemplateReference Resolve(NamedTemplate named)
    {
        ArgumentNullException.ThrowIfNull(named);
        var locale = Normalize(named.Locale);
        var configured = _byLocale.GetValueOrDefault(locale)
            ?? (string.Equals(Normalize(Default.Language), locale, StringComparison.OrdinalIgnoreCase) ? Default : null);
        return configured is not null
            ? configured with { Name = named.Name }
            : new TemplateReference(named.Name, Default.Namespace, locale);
    }

    private static string Normalize(string locale) => locale.Trim().Replace('-', '_');

    private static TemplateReference ToReference(TemplateSettings settings) =>
        new(settings.Name.Trim(), settings.Namespace.Trim(), settings.Language.Trim());
}
