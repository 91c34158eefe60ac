using System.Globalization;
using System.Text.Json;

namespace OtpGate.OneMsg.Json;

/// <summary>
/// Tolerant readers over <see cref="JsonElement"/>: 1MSG is not consistent about types (numbers as strings,
/// booleans as 1/0, objects where strings were expected), so every accessor returns null rather than throwing.
/// </summary>
internal static class JsonRead
{
    public static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    /// <summary>A string, or the text of a number; null for anything else or an empty string.</summary>
    public static string? String(JsonElement element, string name) =>
        Property(element, name) is { } value ? AsString(value) : null;

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>The first of several alternative keys that holds a string.</summary>
    public static string? FirstString(JsonElement element, params ReadOnlySpan<string> names)
    {
        foreach (var name in names)
        {
            if (String(element, name) is { } text)
            {
                return text;
            }
        }

        return null;
    }

    public static bool? Boolean(JsonElement element, string name) => Property(element, name) is { } value
        ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt64(out var n) => n != 0,
            JsonValueKind.String => value.GetString()?.Trim().ToUpperInvariant() switch
            {
                "TRUE" or "1" or "YES" => true,
                "FALSE" or "0" or "NO" => false,
                _ => null,
            },
            _ => null,
        }
        : null;

    public static int? Int32(JsonElement element, string name) => Property(element, name) is { } value
        ? value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        }
        : null;

    /// <summary>Unix seconds (a number or a string of digits) as a time; null when absent or out of range.</summary>
    public static DateTimeOffset? UnixSeconds(JsonElement element, string name)
    {
        long? seconds = Property(element, name) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.Number when value.TryGetInt64(out var n) => n,
                JsonValueKind.Number when value.TryGetDouble(out var d) && d is >= 0 and < 1e12 => (long)d,
                JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
                _ => null,
            }
            : null;

        // Meta sends seconds; anything outside year 1970..9999 is not a timestamp we can use.
        return seconds is >= 0 and <= 253_402_300_799 ? DateTimeOffset.FromUnixTimeSeconds(seconds.Value) : null;
    }

    /// <summary>The elements of an array property; empty when the property is missing or not an array.</summary>
    public static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>
    /// A list of URLs given as a string, a comma-separated string, or an array of strings (1MSG uses all three
    /// for <c>webhookUrl</c>).
    /// </summary>
    public static IReadOnlyList<string> UrlList(JsonElement? value)
    {
        if (value is not { } element)
        {
            return [];
        }

        IEnumerable<string> parts = element.ValueKind switch
        {
            JsonValueKind.String => (element.GetString() ?? "").Split(','),
            JsonValueKind.Array => element.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .SelectMany(e => (e.GetString() ?? "").Split(',')),
            _ => [],
        };

        return parts.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
    }
}
