using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Templates;

/// <summary>The channel's templates: the default authentication template plus the configured ones.</summary>
internal sealed partial class TemplateCatalog
{
    public TemplateCatalog(IOptions<SandboxOptions> options)
    {
        List<TemplateInfo> templates = [];
        foreach (var template in (IEnumerable<SandboxTemplate>)[SandboxTemplate.DefaultAuthentication(), .. options.Value.Templates])
        {
            templates.RemoveAll(t => t.Name == template.Name && t.Language == template.Language);
            templates.Add(new TemplateInfo(template));
        }

        if (options.Value.TemplateListForm == TemplateListForm.Raw)
        {
            for (var i = 0; i < templates.Count; i++)
            {
                templates[i].RawListing = RawListing.For(templates, i);
            }
        }

        All = templates;
    }

    public IReadOnlyList<TemplateInfo> All { get; }

    public IEnumerable<TemplateInfo> FindByName(string name) => All.Where(t => t.Name == name);

    public static int CountVariables(string? text) =>
        text is null ? 0 : VariablePattern().Matches(text).Select(m => m.Value).Distinct(StringComparer.Ordinal).Count();

    [GeneratedRegex(@"\{\{\d+\}\}")]
    internal static partial Regex VariablePattern();
}

/// <summary>One template with what validation needs precomputed.</summary>
internal sealed class TemplateInfo(SandboxTemplate template)
{
    public string Name { get; } = template.Name;

    public string Namespace { get; } = template.Namespace;

    public string Language { get; } = template.Language;

    public string Category { get; } = template.Category.ToUpperInvariant();

    public string Status { get; } = template.Status.ToLowerInvariant();

    public string Id { get; } = template.Id ?? DeriveId(template.Name, template.Language);

    public bool IsAuthentication => Category == "AUTHENTICATION";

    public bool IsApproved => Status == "approved";

    public string? HeaderText { get; } = template.HeaderText;

    public string BodyText { get; } = template.BodyText;

    public string? FooterText { get; } = template.FooterText;

    public IReadOnlyList<SandboxTemplateButton> Buttons { get; } = [.. template.Buttons];

    public int HeaderVariables { get; } = TemplateCatalog.CountVariables(template.HeaderText);

    public int BodyVariables { get; } = TemplateCatalog.CountVariables(template.BodyText);

    /// <summary>Variables of the button at an index (only URL buttons carry one).</summary>
    public int ButtonVariables(int index) =>
        index >= 0 && index < Buttons.Count && Buttons[index].Type.Equals("URL", StringComparison.OrdinalIgnoreCase)
            ? TemplateCatalog.CountVariables(Buttons[index].Url)
            : 0;

    public string Render(IReadOnlyList<string> bodyParameters)
    {
        var text = BodyText;
        for (var i = 0; i < bodyParameters.Count; i++)
        {
            text = text.Replace("{{" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}", bodyParameters[i], StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The template as <c>GET templates</c> lists it.</summary>
    public JsonObject ToJson()
    {
        JsonArray components = [];
        if (HeaderText is not null)
        {
            components.Add(new JsonObject { ["type"] = "HEADER", ["format"] = "TEXT", ["text"] = HeaderText });
        }

        components.Add(new JsonObject { ["type"] = "BODY", ["text"] = BodyText });
        if (FooterText is not null)
        {
            components.Add(new JsonObject { ["type"] = "FOOTER", ["text"] = FooterText });
        }

        if (Buttons.Count > 0)
        {
            JsonArray buttons = [];
            foreach (var button in Buttons)
            {
                var json = new JsonObject { ["type"] = button.Type.ToUpperInvariant(), ["text"] = button.Text };
                if (button.Url is not null)
                {
                    json["url"] = button.Url;
                }

                buttons.Add(json);
            }

            components.Add(new JsonObject { ["type"] = "BUTTONS", ["buttons"] = buttons });
        }

        if (RawListing is not { } raw)
        {
            return new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = Namespace,
                ["language"] = Language,
                ["category"] = Category,
                ["status"] = Status,
                ["rejected_reason"] = "NONE",
                ["components"] = components,
                ["id"] = Id,
            };
        }

        var listed = new JsonObject { ["name"] = Name };
        if (raw.NamespaceKey is { } key)
        {
            listed[key] = Namespace;
        }

        listed["language"] = raw.LanguageAsObject ? new JsonObject { ["code"] = Language } : Language;
        listed["category"] = Category;
        listed["status"] = Status;
        listed["rejected_reason"] = "NONE";
        listed["components"] = raw.ComponentsAsString ? components.ToJsonString() : components;
        listed["id"] = Id;
        return listed;
    }

    /// <summary>How this template is listed under <see cref="TemplateListForm.Raw"/>; null for the clean form.</summary>
    internal RawListing? RawListing { get; set; }

    private static string DeriveId(string name, string language)
    {
        // A stable, Meta-looking numeric id so a template keeps its id across restarts.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name + "|" + language));
        var number = BitConverter.ToUInt64(hash, 0) % 9_000_000_000_000_000UL + 1_000_000_000_000_000UL;
        return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
