namespace OtpGate.Sandbox.Templates;

/// <summary>How <c>GET templates</c> lists templates.</summary>
public enum TemplateListForm
{
    /// <summary>As 1MSG's contract shows: <c>namespace</c>, <c>language</c> a string, <c>components</c> an array.</summary>
    Clean,

    /// <summary>
    /// The forms real channels answer with, mixed in one list: <c>language</c> as <c>{code}</c>, <c>components</c> as a
    /// JSON string, the namespace under <c>message_template_namespace</c> or <c>messageTemplateNamespace</c>, and
    /// missing from a template whose siblings share it.
    /// </summary>
    Raw,
}

/// <summary>One template's raw listing: which namespace key (none when left out), and which forms of language and components.</summary>
internal sealed record RawListing(string? NamespaceKey, bool LanguageAsObject, bool ComponentsAsString)
{
    /// <summary>
    /// Alternates the forms by position, so any list of two or more shows each one. The first template whose
    /// namespace another template also carries is listed without it, as real lists do (a client takes it from the
    /// siblings when they all share one).
    /// </summary>
    public static RawListing For(IReadOnlyList<TemplateInfo> templates, int index)
    {
        var firstSharing = Enumerable.Range(0, templates.Count)
            .FirstOrDefault(i => templates.Where((t, j) => j != i).Any(t => t.Namespace == templates[i].Namespace), -1);
        var key = index == firstSharing ? null
            : index % 2 == 0 ? "message_template_namespace"
            : "messageTemplateNamespace";
        return new RawListing(key, LanguageAsObject: index % 2 == 0, ComponentsAsString: index % 2 == 0);
    }
}
