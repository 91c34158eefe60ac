using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace OtpGate.Sandbox.Api;

/// <summary>A non-success answer: its status code and JSON body, exactly as 1MSG would write it.</summary>
internal sealed record Refusal(int StatusCode, JsonObject Body)
{
    public string Text => Body["message"]?.GetValue<string>() ?? Body["error"]?.GetValue<string>() ?? "";

    public static Refusal Message(int statusCode, string message) => new(statusCode, new JsonObject { ["message"] = message });

    public static Refusal Error(int statusCode, string error) => new(statusCode, new JsonObject { ["error"] = error });

    /// <summary>HTTP 200 with <c>sent: false</c>: 1MSG's way of refusing a send it understood.</summary>
    public static Refusal NotSent(string message) => new(StatusCodes.Status200OK, new JsonObject { ["sent"] = false, ["message"] = message });

    public static readonly Refusal MalformedBody = Message(StatusCodes.Status400BadRequest, "Wrong request: the body is not valid JSON");

    /// <summary>Quotes as <c>\"</c> and URLs with a plain <c>&amp;</c>, as a hand-written API server would emit them.</summary>
    public static readonly JsonSerializerOptions WireFormat = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public IResult ToResult() => Json(Body, StatusCode);

    public static IResult Json(JsonNode body, int statusCode = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(WireFormat), "application/json; charset=utf-8", statusCode: statusCode);
}
