using System.Globalization;
using System.Text.Json;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// The <c>params</c> of a sendTemplate request, read as Cloud-API components: header, body and
/// buttons by index. A parameter without <c>text</c> is kept as null (131008 later). Anything that is
/// not a component the sandbox understands is reported as a <see cref="Problem"/>.
/// </summary>
internal sealed class SentComponents
{
    public List<string?>? Header { get; private set; }

    public List<string?>? Body { get; private set; }

    public Dictionary<int, (string SubType, List<string?> Parameters)> Buttons { get; } = [];

    public string? Problem { get; private set; }

    public static SentComponents Read(JsonElement request)
    {
        var result = new SentComponents();
        if (!request.TryGetProperty("params", out var components) || components.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (components.ValueKind != JsonValueKind.Array)
        {
            result.Problem = "params must be a list of components ({type, parameters})";
            return result;
        }

        var position = 0;
        foreach (var component in components.EnumerateArray())
        {
            result.Problem ??= result.ReadOne(component, position++);
        }

        return result;
    }

    private string? ReadOne(JsonElement component, int position)
    {
        var type = component.ValueKind == JsonValueKind.Object ? component.GetString("type")?.ToLowerInvariant() : null;
        if (type is null)
        {
            return $"params[{position}] is not a component with a type";
        }

        var parameters = ReadParameters(component);
        switch (type)
        {
            case "header" when Header is null:
                Header = parameters;
                return null;
            case "body" when Body is null:
                Body = parameters;
                return null;
            case "header" or "body":
                return $"the {type} component is given twice";
            case "button":
                if (!TryReadIndex(component, out var index))
                {
                    return $"params[{position}] is a button without a valid index";
                }

                if (!Buttons.TryAdd(index, ((component.GetString("sub_type") ?? "").ToLowerInvariant(), parameters)))
                {
                    return $"button {index} is given twice";
                }

                return null;
            default:
                return $"the template has no {type} component";
        }
    }

    private static List<string?> ReadParameters(JsonElement component)
    {
        if (!component.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. parameters.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Object ? p.GetString("text") : null)];
    }

    /// <summary>Index as the string <c>"0"</c> (Meta's docs, the seed) or the number <c>0</c> (1MSG's n8n node).</summary>
    private static bool TryReadIndex(JsonElement component, out int index)
    {
        index = -1;
        if (!component.TryGetProperty("index", out var value))
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt32(out index) && index >= 0,
            JsonValueKind.String => int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out index),
            _ => false,
        };
    }
}
