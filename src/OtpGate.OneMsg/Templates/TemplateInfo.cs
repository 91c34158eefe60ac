using System.Globalization;
using System.Text.RegularExpressions;

namespace OtpGate.OneMsg.Templates;

/// <summary>
/// A template as 1MSG's <c>/templates</c> lists it, normalised: types, category and status upper case,
/// <see cref="Language"/> a plain code, components always a list, and <see cref="Namespace"/> filled from
/// the sibling templates when 1MSG left it out and they all share one.
/// </summary>
/// <param name="Name">The template name, as sent in <c>template</c>.</param>
/// <param name="Namespace">The namespace to send, when known.</param>
/// <param name="Language">The language code (<c>en</c>, <c>en_US</c>); empty when 1MSG gave none.</param>
/// <param name="Category">Upper case: <c>AUTHENTICATION</c>, <c>UTILITY</c>, <c>MARKETING</c> (or a legacy value).</param>
/// <param name="Status">Upper case: <c>APPROVED</c>, <c>PENDING</c>, <c>REJECTED</c>, <c>PAUSED</c>, …; <c>UNKNOWN</c> when missing.</param>
/// <param name="RejectedReason">Meta's reason when rejected (often <c>NONE</c>).</param>
/// <param name="Components">The components in order.</param>
public sealed partial record TemplateInfo(
    string Name,
    string? Namespace,
    string Language,
    string? Category,
    string Status,
    string? RejectedReason,
    IReadOnlyList<TemplateComponentInfo> Components)
{
    /// <summary>1MSG's template id, when it gives one.</summary>
    public string? Id { get; init; }

    /// <summary>True when the status is <c>APPROVED</c> (compared case-insensitively on the way in).</summary>
    public bool IsApproved => Status == "APPROVED";

    /// <summary>The BODY component, when there is one.</summary>
    public TemplateComponentInfo? Body => Component("BODY");

    /// <summary>The number of distinct variables (<c>{{1}}</c>, <c>{{2}}</c>, …) in the body.</summary>
    public int BodyVariableCount => Body?.VariableCount ?? 0;

    /// <summary>The footer text, for example "This code expires in 10 minutes."; null when there is no footer.</summary>
    public string? FooterText => Component("FOOTER")?.Text;

    /// <summary>The code lifetime the footer announces ("This code expires in 10 minutes." → 10); null when it announces none.</summary>
    public int? CodeExpiryMinutes =>
        FooterText is { } footer && ExpiryPattern().Match(footer) is { Success: true } match
        && int.TryParse(match.Groups["minutes"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes)
            ? minutes
            : null;

    /// <summary>All buttons of all BUTTONS components, in order.</summary>
    public IReadOnlyList<TemplateButtonInfo> Buttons =>
        [.. Components.Where(c => c.Type == "BUTTONS").SelectMany(c => c.Buttons)];

    /// <summary>
    /// Why OtpGate cannot send codes with this template, in one sentence; null when it can. OtpGate needs an
    /// approved AUTHENTICATION template whose body has one variable and whose first button carries the code:
    /// a URL button with one variable (how Meta lists a copy-code button) or an OTP/COPY_CODE button.
    /// </summary>
    public string? AuthenticationCodeProblem
    {
        get
        {
            if (!string.Equals(Category, "AUTHENTICATION", StringComparison.Ordinal))
            {
                return $"Template \"{Name}\" ({Language}) is in category {Category ?? "(none)"}; OtpGate sends codes with an AUTHENTICATION template.";
            }

            if (BodyVariableCount != 1)
            {
                return $"Template \"{Name}\" ({Language}) has {BodyVariableCount} body variables; OtpGate needs exactly one, {{{{1}}}}, for the code.";
            }

            if (Buttons is not [var first, ..])
            {
                return $"Template \"{Name}\" ({Language}) has no button; OtpGate needs the copy-code button, listed as a URL button with {{{{1}}}}.";
            }

            if (first.Type == "URL" && first.VariableCount != 1)
            {
                return $"Template \"{Name}\" ({Language}) has a first URL button with {first.VariableCount} variables; OtpGate needs one, {{{{1}}}}, for the code.";
            }

            if (first.Type is not ("URL" or "OTP" or "COPY_CODE"))
            {
                return $"Template \"{Name}\" ({Language}) has a first button of type {first.Type}; OtpGate needs the copy-code (OTP) button there.";
            }

            if (!IsApproved)
            {
                return $"Template \"{Name}\" ({Language}) is {Status}, not APPROVED; WhatsApp sends only approved templates.";
            }

            if (string.IsNullOrWhiteSpace(Namespace))
            {
                return $"Template \"{Name}\" ({Language}) has no namespace in /templates; set OneMsg:Template:Namespace by hand.";
            }

            return null;
        }
    }

    /// <summary>True when <see cref="AuthenticationCodeProblem"/> is null.</summary>
    public bool IsUsableForAuthenticationCode => AuthenticationCodeProblem is null;

    /// <summary>The reference to send with, or null when the namespace is unknown.</summary>
    public TemplateReference? ToReference() =>
        string.IsNullOrWhiteSpace(Namespace) ? null : new TemplateReference(Name, Namespace, Language);

    private TemplateComponentInfo? Component(string type) => Components.FirstOrDefault(c => c.Type == type);

    [GeneratedRegex(@"expires?\s+in\s+(?<minutes>[0-9]{1,4})\s+min", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExpiryPattern();
}

/// <summary>One component of a listed template.</summary>
/// <param name="Type">Upper case: <c>HEADER</c>, <c>BODY</c>, <c>FOOTER</c>, <c>BUTTONS</c>, <c>CAROUSEL</c>.</param>
/// <param name="Format">For headers: <c>TEXT</c>, <c>IMAGE</c>, …</param>
/// <param name="Text">The text with its <c>{{n}}</c> variables.</param>
/// <param name="Buttons">For <c>BUTTONS</c>: the buttons in order; empty otherwise.</param>
public sealed record TemplateComponentInfo(string Type, string? Format, string? Text, IReadOnlyList<TemplateButtonInfo> Buttons)
{
    /// <summary>The number of distinct variables in <see cref="Text"/>.</summary>
    public int VariableCount => TemplateVariables.Count(Text);
}

/// <summary>One button of a listed template.</summary>
/// <param name="Type">Upper case: <c>URL</c>, <c>QUICK_REPLY</c>, <c>PHONE_NUMBER</c>, <c>OTP</c>, <c>COPY_CODE</c>, …</param>
/// <param name="Text">The label.</param>
/// <param name="Url">For URL buttons: the URL, with its <c>{{1}}</c> variable when it has one.</param>
public sealed record TemplateButtonInfo(string Type, string? Text, string? Url)
{
    /// <summary>For OTP buttons, <c>COPY_CODE</c>, <c>ONE_TAP</c> or <c>ZERO_TAP</c>, when listed.</summary>
    public string? OtpType { get; init; }

    /// <summary>The number of distinct variables in <see cref="Url"/>.</summary>
    public int VariableCount => TemplateVariables.Count(Url);
}

/// <summary>Counts <c>{{1}}</c>-style (and named <c>{{code}}</c>) variables.</summary>
internal static partial class TemplateVariables
{
    public static int Count(string? text) => string.IsNullOrEmpty(text)
        ? 0
        : Pattern().Matches(text).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).Count();

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z0-9_]{1,64})\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
