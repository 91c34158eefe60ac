using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body as the JSON object it stands for. 1MSG's legacy contract gives
/// the form the same schema as the JSON body, nested objects included, without saying how they are written; the two
/// ways form encoders write them are both read:
/// <list type="bullet">
/// <item>bracket keys, as PHP, jQuery and Node's <c>qs</c> write nested values: <c>language[code]=en</c>,
///   <c>params[0][parameters][0][text]=123456</c>, <c>webhookUrl[]=https://a</c>;</item>
/// <item>a structured field (<c>language</c>, <c>params</c>, <c>webhookUrl</c>) whose value is JSON text:
///   <c>params=[{"type":"body",...}]</c>.</item>
/// </list>
/// A repeated plain key is a list (<c>webhookUrl=a&amp;webhookUrl=b</c>). Form values are text, so the known switches
/// (<c>true</c>/<c>false</c>/<c>1</c>/<c>0</c>) and <c>messageSendTtlSeconds</c> are read as their types.
/// </summary>
internal static class FormBody
{
    private static readonly HashSet<string> JsonFields = new(["language", "params", "webhookUrl"], StringComparer.Ordinal);
    private static readonly HashSet<string> Switches = new(["ackNotificationsOn", "rawHooks", "guaranteedHooks"], StringComparer.Ordinal);
    private static readonly HashSet<string> Integers = new(["messageSendTtlSeconds"], StringComparer.Ordinal);

    /// <summary>The form as a JSON object; null when it is malformed, too large, or its keys contradict each other.</summary>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        Dictionary<string, StringValues> fields;
        try
        {
            using var reader = new FormReader(request.Body, Encoding.UTF8) { ValueLengthLimit = maxBytes, KeyLengthLimit = 1024, ValueCountLimit = 1024 };
            fields = await reader.ReadFormAsync(cancellationToken);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        var root = new JsonObject();
        foreach (var (key, values) in fields)
        {
            if (ParseKey(key) is not { } path || !Place(root, path, values))
            {
                return null;
            }
        }

        return JsonSerializer.SerializeToElement(ListsFromIndexes(root, isRoot: true));
    }

    /// <summary><c>a[b][0][]</c> → <c>["a","b","0",""]</c>; null for a key that is not a name followed by bracket groups.</summary>
    internal static List<string>? ParseKey(string key)
    {
        var open = key.IndexOf('[', StringComparison.Ordinal);
        var name = open < 0 ? key : key[..open];
        if (name.Length == 0 || name.Contains(']', StringComparison.Ordinal))
        {
            return null;
        }

        List<string> path = [name];
        var rest = open < 0 ? "" : key[open..];
        while (rest.Length > 0)
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (rest[0] != '[' || close < 0 || rest[1..close].Contains('[', StringComparison.Ordinal))
            {
                return null;
            }

            path.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }

        return path;
    }

    private static bool Place(JsonObject root, List<string> path, StringValues values)
    {
        if (path.Count == 1)
        {
            if (root.ContainsKey(path[0]))
            {
                return false;
            }

            root[path[0]] = values.Count == 1
                ? Typed(path[0], values[0] ?? "")
                : new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            return true;
        }

        foreach (var value in values)
        {
            var container = root;
            for (var i = 0; i < path.Count - 1; i++)
            {
                var segment = path[i].Length == 0 ? container.Count.ToString(CultureInfo.InvariantCulture) : path[i];
                if (container[segment] is null)
                {
                    container[segment] = new JsonObject();
                }

                if (container[segment] is not JsonObject child)
                {
                    return false;
                }

                container = child;
            }

            var last = path[^1].Length == 0 ? container.Count.ToString(CultureInfo.InvariantCulture) : path[^1];
            if (container.ContainsKey(last))
            {
                return false;
            }

            container[last] = value;
        }

        return true;
    }

    private static JsonNode? Typed(string name, string value)
    {
        var word = value.Trim().ToUpperInvariant();
        if (Switches.Contains(name) && word is "TRUE" or "FALSE" or "1" or "0")
        {
            return word is "TRUE" or "1";
        }

        if (Integers.Contains(name) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (JsonFields.Contains(name) && value.TrimStart() is ['{' or '[', ..])
        {
            try
            {
                return JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                // Left as text: the endpoint then says what the field should be.
            }
        }

        return value;
    }

    // Bracket keys with indexes build objects keyed "0", "1", ...; those are the lists the JSON body would carry.
    private static JsonNode? ListsFromIndexes(JsonNode? node, bool isRoot = false)
    {
        if (node is not JsonObject map)
        {
            return node?.DeepClone();
        }

        var indexes = map.Select(p => int.TryParse(p.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1).ToList();
        if (!isRoot && map.Count > 0 && indexes.All(i => i >= 0))
        {
            return new JsonArray([.. map.Zip(indexes).OrderBy(p => p.Second).Select(p => ListsFromIndexes(p.First.Value))]);
        }

        var copy = new JsonObject();
        foreach (var (key, value) in map)
        {
            copy[key] = ListsFromIndexes(value);
        }

        return copy;
    }
}
