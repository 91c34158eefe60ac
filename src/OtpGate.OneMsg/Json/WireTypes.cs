using System.Text.Json;
using System.Text.Json.Serialization;

namespace OtpGate.OneMsg.Json;

// The request bodies this client writes, in 1MSG's own field names. Responses are read tolerantly with
// JsonDocument (see JsonRead) because 1MSG's answers vary in shape; requests are ours, so they are typed.

/// <summary><c>POST sendTemplate</c>; property order follows the seed's example.</summary>
internal sealed record SendTemplateWire(
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("chatId")] string? ChatId,
    [property: JsonPropertyName("template")] string Template,
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("language")] LanguageWire Language,
    [property: JsonPropertyName("params")] IReadOnlyList<ComponentWire> Params,
    [property: JsonPropertyName("messageSendTtlSeconds")] int? MessageSendTtlSeconds);

internal sealed record LanguageWire(
    [property: JsonPropertyName("policy")] string Policy,
    [property: JsonPropertyName("code")] string Code);

/// <summary>A Cloud-API component; <c>index</c> is a string, as in Meta's docs and the seed (<c>"0"</c>).</summary>
internal sealed record ComponentWire(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("sub_type")] string? SubType,
    [property: JsonPropertyName("index")] string? Index,
    [property: JsonPropertyName("parameters")] IReadOnlyList<ParameterWire> Parameters);

internal sealed record ParameterWire(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("payload")] string? Payload,
    [property: JsonPropertyName("coupon_code")] string? CouponCode);

/// <summary><c>POST webhook</c>: the whole list, which replaces the stored one.</summary>
internal sealed record WebhookWire(
    [property: JsonPropertyName("webhookUrl")] IReadOnlyList<string> WebhookUrl);

/// <summary><c>POST settings</c>: only the fields being changed (nulls are left out).</summary>
internal sealed record SettingsUpdateWire(
    [property: JsonPropertyName("webhookUrl"), JsonConverter(typeof(WebhookUrlListConverter))] IReadOnlyList<string>? WebhookUrl,
    [property: JsonPropertyName("ackNotificationsOn")] bool? AckNotificationsOn,
    [property: JsonPropertyName("rawHooks")] bool? RawHooks,
    [property: JsonPropertyName("guaranteedHooks")] bool? GuaranteedHooks);

/// <summary>
/// Writes a URL list as an array, or as <c>""</c> when empty: 1MSG documents the empty string as the way to
/// clear every webhook through <c>settings</c>. Reads a string, a comma-separated string or an array.
/// </summary>
internal sealed class WebhookUrlListConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return JsonRead.UrlList(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        if (value.Count == 0)
        {
            writer.WriteStringValue("");
            return;
        }

        writer.WriteStartArray();
        foreach (var url in value)
        {
            writer.WriteStringValue(url);
        }

        writer.WriteEndArray();
    }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SendTemplateWire))]
[JsonSerializable(typeof(WebhookWire))]
[JsonSerializable(typeof(SettingsUpdateWire))]
internal sealed partial class OneMsgJsonContext : JsonSerializerContext;
