using System.Text.Json;
using System.Text.Json.Nodes;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>How a request to Twilio ended without an answer, which says whether it may have been acted on.</summary>
public enum TwilioTransport
{
    /// <summary>An HTTP answer arrived.</summary>
    Answered,

    /// <summary>The request surely never left (name not resolved, connection refused): safe to send again.</summary>
    NeverLeft,

    /// <summary>No answer within the attempt timeout: Twilio may or may not have acted on it.</summary>
    TimedOut,

    /// <summary>The connection failed after the request was sent: Twilio may or may not have acted on it.</summary>
    BrokeAfterSending,
}

/// <summary>
/// One answer from Twilio's REST API, or how the request failed without one. Twilio's error body is
/// <c>{code, message, more_info, status}</c>; its <c>message</c> may quote the number, so callers redact it.
/// </summary>
public sealed record TwilioAnswer(TwilioTransport Transport, int? Status, JsonObject? Body, TimeSpan? RetryAfter, string? Failure = null)
{
    public bool IsSuccess => Status is >= 200 and < 300 && Body is not null;

    /// <summary>Twilio's error code (<c>21211</c>, <c>20003</c>), when the body carries one.</summary>
    public int? Code => Body?["code"] is JsonValue value && value.TryGetValue<int>(out var code) ? code : null;

    /// <summary>Twilio's own words, unredacted.</summary>
    public string? Message => Text("message");

    public string? Text(string name) => Body?[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    internal static TwilioAnswer From(int status, string body, TimeSpan? retryAfter)
    {
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): the status alone speaks.
        }

        return new TwilioAnswer(TwilioTransport.Answered, status, json, retryAfter);
    }
}
