using System.Text.Json;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg.Templates;

/// <summary>
/// Reads one page of <c>/templates</c>, tolerating what 1MSG really sends: components as an array or as a
/// JSON string holding it, language as a string or <c>{code}</c>, the namespace under three names, any case.
/// </summary>
internal static class TemplateListReader
{
    /// <summary>The templates of one page: <c>{templates:[…]}</c> (or <c>data</c>), or a bare array. Unreadable entries are left out.</summary>
    public static List<TemplateInfo> ReadPage(JsonElement root)
    {
        var items = root.ValueKind == JsonValueKind.Array
            ? root.EnumerateArray()
            : JsonRead.Array(root, "templates").Concat(JsonRead.Array(root, "data"));
        return [.. items.Select(ReadTemplate).OfType<TemplateInfo>()];
    }

    /// <summary>The identity used to notice that a page repeats (1MSG may ignore <c>offset</c>).</summary>
    public static string Key(TemplateInfo template) =>
        template.Id ?? string.Join('\u0001', template.Name, template.Language, template.Namespace);

    /// <summary>Gives templates without a namespace their siblings' namespace, when every sibling that has one agrees.</summary>
    public static IReadOnlyList<TemplateInfo> FillMissingNamespaces(IReadOnlyList<TemplateInfo> templates)
    {
        var known = templates.Select(t => t.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return known is [var shared]
            ? [.. templates.Select(t => t.Namespace is null ? t with { Namespace = shared } : t)]
            : templates;
    }

    private static TemplateInfo? ReadTemplate(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object || JsonRead.String(element, "name") is not { } name)
        {
            return null;
        }

        var language = JsonRead.String(element, "language")
            ?? (JsonRead.Property(element, "language") is { } lang ? JsonRead.String(lang, "code") : null)
            ?? "";
        return new TemplateInfo(
            name,
            JsonRead.FirstString(element, "namespace", "message_template_namespace", "messageTemplateNamespace"),
            language,
            Upper(JsonRead.String(element, "category")),
            Upper(JsonRead.String(element, "status")) ?? "UNKNOWN",
            JsonRead.FirstString(element, "rejected_reason", "rejectedReason"),
            ReadComponents(JsonRead.Property(element, "components")))
        {
            Id = JsonRead.String(element, "id"),
        };
    }

    private static List<TemplateComponentInfo> ReadComponents(JsonElement? components)
    {
        if (components is { ValueKind: JsonValueKind.String } text)
        {
            // Some channels send the component list as a JSON string; parse it and read the copy.
            using var inner = ResponseText.TryParse(text.GetString() ?? "");
            return inner is null ? [] : ReadComponents(inner.RootElement);
        }

        return components is { ValueKind: JsonValueKind.Array } array
            ? [.. array.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Select(ReadComponent)]
            : [];
    }

    private static TemplateComponentInfo ReadComponent(JsonElement component) => new(
        Upper(JsonRead.String(component, "type")) ?? "",
        Upper(JsonRead.String(component, "format")),
        JsonRead.String(component, "text"),
        [.. JsonRead.Array(component, "buttons").Where(b => b.ValueKind == JsonValueKind.Object).Select(ReadButton)]);

    private static TemplateButtonInfo ReadButton(JsonElement button) =>
        new(Upper(JsonRead.String(button, "type")) ?? "", JsonRead.String(button, "text"), JsonRead.String(button, "url"))
        {
            OtpType = Upper(JsonRead.String(button, "otp_type")),
        };

    private static string? Upper(string? text) => text?.Trim().ToUpperInvariant();
}
