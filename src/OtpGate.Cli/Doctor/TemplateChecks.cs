using OtpGate.OneMsg.Templates;
using OtpGate.Verification;

namespace OtpGate.Cli.Doctor;

/// <summary>The template lines: exists, approved and shaped for codes; namespace; the expiry it announces and the message TTL.</summary>
internal static class TemplateChecks
{
    public const string ShapeTitle = "Template approved, right shape";
    public const string NamespaceTitle = "Namespace matches";
    public const string ExpiryTitle = "Code expiry fits lifetime";
    private const string TtlTitle = "Message TTL fits lifetime";

    public static TemplateInfo? Find(IReadOnlyList<TemplateInfo> templates, TemplateReference reference) =>
        templates.FirstOrDefault(t => t.Name == reference.Name && string.Equals(t.Language, reference.Language, StringComparison.OrdinalIgnoreCase));

    public static Check Shape(ConfiguredTemplate configured, TemplateInfo? template, IReadOnlyList<TemplateInfo> all)
    {
        var id = "template" + configured.Suffix;
        var title = ShapeTitle + configured.TitleSuffix;
        var reference = configured.Reference;
        if (template is null)
        {
            var languages = all.Where(t => t.Name == reference.Name).Select(t => t.Language).ToList();
            return Check.Fail(id, title,
                languages.Count == 0
                    ? $"The channel has no template named {reference.Name}."
                    : $"The channel has {reference.Name} in {string.Join(", ", languages)}, but not in {reference.Language}.",
                languages.Count == 0
                    ? $"Set {configured.Key}:Name to a template `otpgate templates` lists, or create an AUTHENTICATION template with a copy-code button in the 1MSG dashboard and wait for approval."
                    : $"Set {configured.Key}:Language to one of {string.Join(", ", languages)}, or add the {reference.Language} translation in the 1MSG dashboard.");
        }

        // The namespace has its own line; here only category, variables, button and approval count.
        var problem = template.AuthenticationCodeProblem;
        if (problem is not null && !problem.Contains("namespace", StringComparison.OrdinalIgnoreCase))
        {
            return Check.Fail(id, title, problem, template.IsApproved
                ? "Use an AUTHENTICATION template whose body is \"{{1}} is your verification code.\" with a copy-code button; `otpgate templates` marks the ones that fit."
                : template.Status == "PAUSED"
                    ? "Meta paused it, usually after low-quality feedback; it resumes by itself or after you edit it in the 1MSG dashboard. Meanwhile configure another approved template."
                    : "Wait for Meta's approval, or fix and resubmit it in the 1MSG dashboard; meanwhile configure an approved template.");
        }

        return Check.Pass(id, title, $"{template.Name} ({template.Language}) is an approved AUTHENTICATION template with one body variable and a copy-code button.");
    }

    public static Check Namespace(ConfiguredTemplate configured, TemplateInfo? template)
    {
        var id = "namespace" + configured.Suffix;
        var title = NamespaceTitle + configured.TitleSuffix;
        var mine = configured.Reference.Namespace;
        var theirs = template?.Namespace;
        var set = theirs is null ? "" : $"Set {configured.Key}:Namespace={theirs} (as /templates lists it).";
        if (string.IsNullOrWhiteSpace(mine))
        {
            return Check.Fail(id, title, $"{configured.Key}:Namespace is not set, and 1MSG refuses every send without it (HTTP 422).",
                set.Length > 0 ? set : "Copy the namespace from `otpgate templates --all` into OneMsg:Template:Namespace.");
        }

        if (template is null)
        {
            return Check.Skip(id, title, "the template was not found.");
        }

        if (theirs is null)
        {
            return Check.Warn(id, title, $"1MSG lists no namespace for {template.Name}, so {mine} cannot be compared.", "Check the namespace in the 1MSG dashboard.");
        }

        return mine == theirs
            ? Check.Pass(id, title, $"{mine} is the namespace /templates lists for {template.Name}.")
            : Check.Fail(id, title, $"{configured.Key}:Namespace is {mine}, but /templates lists {theirs} for {template.Name}; 1MSG refuses the send.", set);
    }

    /// <summary>The code expiry the templates announce (footer minutes) against Verification:CodeLifetime.</summary>
    public static Check Expiry(IReadOnlyList<TemplateInfo> templates, VerificationOptions verification)
    {
        var lifetime = verification.CodeLifetime;
        var lifetimeText = Minutes(lifetime);
        if (templates.Count == 0)
        {
            return Check.Skip("expiry", ExpiryTitle, "no configured template was found.");
        }

        foreach (var template in templates)
        {
            if (template.CodeExpiryMinutes is not { } minutes)
            {
                if (lifetime > TimeSpan.FromMinutes(10))
                {
                    return Check.Warn("expiry", ExpiryTitle,
                        $"{template.Name} ({template.Language}) has no expiry footer, so WhatsApp disables its copy-code button after 10 minutes, while codes live {lifetimeText}.",
                        "Set the template's code expiration to match Verification:CodeLifetime, or shorten the lifetime to 10 minutes.");
                }

                continue;
            }

            var announced = TimeSpan.FromMinutes(minutes);
            if (announced > lifetime)
            {
                return Check.Fail("expiry", ExpiryTitle,
                    $"{template.Name} ({template.Language}) tells users the code expires in {minutes} minutes, but Verification:CodeLifetime is {lifetimeText}: codes would be refused while the message says they are valid.",
                    $"Set Verification:CodeLifetime to {announced:hh\\:mm\\:ss}, or change the template's code expiration to {lifetimeText}.");
            }

            if (announced < lifetime)
            {
                return Check.Warn("expiry", ExpiryTitle,
                    $"{template.Name} ({template.Language}) says the code expires in {minutes} minutes, but codes live {lifetimeText}: the copy-code button stops working first.",
                    $"Set Verification:CodeLifetime to {announced:hh\\:mm\\:ss}, or change the template's code expiration to {lifetimeText}.");
            }
        }

        return Check.Pass("expiry", ExpiryTitle, $"The templates' code expiry agrees with Verification:CodeLifetime ({lifetimeText}).");
    }

    /// <summary>The TTL the server sends (min of lifetime, MaxMessageTtl and 900 s) must not outlive the code or the copy button.</summary>
    public static Check Ttl(IReadOnlyList<TemplateInfo> templates, VerificationOptions verification)
    {
        var lifetime = verification.CodeLifetime;
        if (verification.MaxMessageTtl is { } max && (max > lifetime || max < TimeSpan.FromSeconds(30) || max > TimeSpan.FromSeconds(900)))
        {
            return Check.Fail("ttl", TtlTitle, $"Verification:MaxMessageTtl is {max}; it must be 30 to 900 seconds and not longer than Verification:CodeLifetime ({lifetime}).",
                "Leave Verification:MaxMessageTtl unset to follow the code lifetime.");
        }

        var ttl = TimeSpan.FromSeconds(LocalChecks.MessageTtlSeconds(verification));
        var shortest = templates.Select(t => t.CodeExpiryMinutes).OfType<int>().Select(m => TimeSpan.FromMinutes(m)).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        if (ttl > shortest)
        {
            return Check.Warn("ttl", TtlTitle,
                $"Messages go out with a TTL of {ttl.TotalSeconds:0} s, longer than the {shortest.TotalMinutes:0} minutes the template's copy-code button works: a late message arrives with a dead button.",
                $"Set Verification:MaxMessageTtl to {shortest:hh\\:mm\\:ss} or less.");
        }

        var relation = ttl < lifetime ? $"shorter than the {Minutes(lifetime)} code lifetime" : "as long as the code lives";
        return Check.Pass("ttl", TtlTitle, $"Messages go out with a TTL of {ttl.TotalSeconds:0} s, {relation}: WhatsApp drops a message it could not deliver before the code expires.");
    }

    private static string Minutes(TimeSpan value) => value.TotalMinutes == Math.Floor(value.TotalMinutes)
        ? $"{value.TotalMinutes:0} minutes"
        : $"{value.TotalSeconds:0} seconds";
}
