using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// The channel's WhatsApp Business profile (1MSG's <c>ProfileInfo</c>): <c>about</c>, <c>address</c>,
/// <c>description</c>, <c>email</c>, <c>phone</c>, <c>vertical</c>, <c>photo</c>, <c>websites</c>. Kept in memory;
/// every field but the linked phone can be changed.
/// </summary>
internal sealed class ChannelProfile
{
    /// <summary>The sandbox business's own number: in the fictional 555-01xx range, clear of the scenario numbers.</summary>
    public const string Phone = "12125550199";

    /// <summary>The fields <c>POST me</c> may change, as 1MSG's contract lists them.</summary>
    public static readonly IReadOnlyList<string> Updatable = ["about", "address", "description", "email", "photo", "vertical", "websites"];

    private readonly Lock _lock = new();
    private readonly JsonObject _profile = new()
    {
        ["about"] = "OtpGate sandbox",
        ["address"] = "",
        ["description"] = "A local stand-in for the 1MSG WhatsApp Business API",
        ["email"] = "",
        ["phone"] = Phone,
        ["vertical"] = "Other",
        ["photo"] = "",
        ["websites"] = new JsonArray(),
    };

    public JsonObject Snapshot()
    {
        lock (_lock)
        {
            return (JsonObject)_profile.DeepClone();
        }
    }

    public void Apply(JsonObject changes)
    {
        lock (_lock)
        {
            foreach (var (name, value) in changes)
            {
                _profile[name] = value?.DeepClone();
            }
        }
    }
}

/// <summary><c>GET me</c> and <c>POST me</c>.</summary>
internal static class ProfileEndpoints
{
    public static IResult Get(HttpContext context, string channelId, TokenCheck tokens, ChannelProfile profile) =>
        tokens.Check(context, channelId) is { } refusal ? refusal.ToResult() : Refusal.Json(profile.Snapshot());

    /// <summary>Changes the fields sent; 422 "Wrong request (no updatable fields)" when none is, as 1MSG's contract says.</summary>
    public static async Task<IResult> UpdateAsync(HttpContext context, string channelId, TokenCheck tokens, ChannelProfile profile)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if ((tokens.Check(context, channelId, body) ?? (body is null ? Refusal.MalformedBody : null)) is { } refusal)
        {
            return refusal.ToResult();
        }

        var changes = new JsonObject();
        foreach (var name in ChannelProfile.Updatable)
        {
            if (!body!.Value.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (Read(name, value) is not { } node)
            {
                var expected = name == "websites" ? "a URL or a list of URLs" : "text";
                return Refusal.Message(StatusCodes.Status400BadRequest, $"{name} must be {expected}").ToResult();
            }

            changes[name] = node;
        }

        if (changes.Count == 0)
        {
            return Refusal.Error(StatusCodes.Status422UnprocessableEntity, "Wrong request (no updatable fields)").ToResult();
        }

        profile.Apply(changes);
        return Refusal.Json(new JsonObject { ["result"] = "success" });
    }

    private static JsonNode? Read(string name, JsonElement value) => (name, value.ValueKind) switch
    {
        ("websites", JsonValueKind.String) => new JsonArray(JsonValue.Create(value.GetString())),
        ("websites", JsonValueKind.Array) when value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
            new JsonArray([.. value.EnumerateArray().Select(v => (JsonNode?)JsonValue.Create(v.GetString()))]),
        ("websites", _) => null,
        (_, JsonValueKind.String) => JsonValue.Create(value.GetString()),
        _ => null,
    };
}
