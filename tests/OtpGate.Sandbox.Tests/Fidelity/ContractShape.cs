using System.Text.Json.Nodes;

namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary>
/// Checks an answer against a shape written as JSON: each key names the type 1MSG documents for it (<c>"string"</c>,
/// <c>"integer"</c>, <c>"boolean"</c>, <c>"object"</c>, <c>"array"</c>; a trailing <c>?</c> allows null), a nested object
/// is checked key by key, and a one-element array is the shape of every element. Keys the shape does not name are
/// allowed (1MSG adds keys freely); every key it names must be there.
/// </summary>
public static class ContractShape
{
    public static void AssertMatches(string shape, JsonNode? actual, string path = "$")
    {
        var problems = new List<string>();
        Check(JsonNode.Parse(shape), actual, path, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nin " + actual?.ToJsonString());
    }

    private static void Check(JsonNode? expected, JsonNode? actual, string path, List<string> problems)
    {
        switch (expected)
        {
            case JsonObject shape:
                if (actual is not JsonObject map)
                {
                    problems.Add($"{path}: expected an object, got {Kind(actual)}");
                    return;
                }

                foreach (var (key, inner) in shape)
                {
                    if (!map.ContainsKey(key))
                    {
                        problems.Add($"{path}.{key}: missing");
                        continue;
                    }

                    Check(inner, map[key], $"{path}.{key}", problems);
                }

                return;
            case JsonArray { Count: 1 } element:
                if (actual is not JsonArray list)
                {
                    problems.Add($"{path}: expected an array, got {Kind(actual)}");
                    return;
                }

                for (var i = 0; i < list.Count; i++)
                {
                    Check(element[0], list[i], $"{path}[{i}]", problems);
                }

                return;
            default:
                var type = expected!.GetValue<string>();
                var nullable = type.EndsWith('?');
                var kind = Kind(actual);
                if (!(nullable && kind == "null") && kind != type.TrimEnd('?'))
                {
                    problems.Add($"{path}: expected {type}, got {kind}");
                }

                return;
        }
    }

    private static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value when value.TryGetValue<bool>(out _) => "boolean",
        JsonValue value when value.TryGetValue<string>(out _) => "string",
        JsonValue value when value.TryGetValue<long>(out _) => "integer",
        _ => "number",
    };
}
