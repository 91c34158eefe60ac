using System.Text.Json.Nodes;

namespace OtpGate.Sandbox.Tests.Support;

/// <summary>sendTemplate bodies shaped like the seed's Node.js example.</summary>
public static class Requests
{
    public const string Phone = "12125550100";

    public static JsonObject Otp(string phone = Phone, string code = "123456", string? buttonCode = null) => new()
    {
        ["phone"] = phone,
        ["template"] = "registration_otp",
        ["namespace"] = "otpgate_sandbox",
        ["language"] = new JsonObject { ["policy"] = "deterministic", ["code"] = "en" },
        ["params"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = code }),
            },
            new JsonObject
            {
                ["type"] = "button",
                ["sub_type"] = "url",
                ["index"] = "0",
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = buttonCode ?? code }),
            }),
    };

    public static JsonObject Without(this JsonObject body, string property)
    {
        body.Remove(property);
        return body;
    }

    public static JsonObject With(this JsonObject body, string property, JsonNode? value)
    {
        body[property] = value;
        return body;
    }

    /// <summary>Drops the params component at an index (0 = body, 1 = button).</summary>
    public static JsonObject WithoutComponent(this JsonObject body, int index)
    {
        body["params"]!.AsArray().RemoveAt(index);
        return body;
    }

    public static JsonObject Button(this JsonObject body) => body["params"]![1]!.AsObject();
}
