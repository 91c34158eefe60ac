namespace OtpGate.Verification.Channels;

/// <summary>
/// A template a service names for a locale (<c>Services:&lt;name&gt;:Templates:&lt;locale&gt;</c>): the channel sends this
/// one instead of its own choice. <paramref name="Locale"/> is the locale it was named under (the verification's, or its
/// language when the service names only that), so the channel can tell the template's language.
/// </summary>
public sealed record NamedTemplate(string Name, string Locale)
{
    /// <summary>
    /// The template <paramref name="templates"/> (locale → name) names for <paramref name="locale"/>: the exact locale
    /// (<c>pt-BR</c> and <c>pt_br</c> are <c>pt_BR</c>), then its language (<c>pt_BR</c> → <c>pt</c>); null when it names none.
    /// </summary>
    public static NamedTemplate? For(IReadOnlyDictionary<string, string> templates, string? locale)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Count == 0 || string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var normalized = Normalize(locale);
        var separator = normalized.IndexOf('_', StringComparison.Ordinal);
        var language = separator > 0 ? normalized[..separator] : null;
        NamedTemplate? byLanguage = null;
        foreach (var (key, name) in templates)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            var candidate = Normalize(key);
            if (string.Equals(candidate, normalized, StringComparison.OrdinalIgnoreCase))
            {
                return new NamedTemplate(name.Trim(), candidate);
            }

            if (language is not null && string.Equals(candidate, language, StringComparison.OrdinalIgnoreCase))
            {
                byLanguage = new NamedTemplate(name.Trim(), candidate);
            }
        }

        return byLanguage;
    }

    private static string Normalize(string locale) => locale.Trim().Replace('-', '_');
}
