using System.Globalization;
using System.Text;
using System.Text.Json;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

/// <summary>
/// The JSON body of an event, in the shape Standard Webhooks recommends (<c>type</c>, <c>timestamp</c>, <c>data</c>).
/// Built from the verification's row as the event's transaction left it; it has no field for a code, and the phone is
/// masked.
/// </summary>
internal static class EventPayload
{
    /// <summary>The body; <paramref name="sendChannel"/> (for sent, delivered, read) is the channel that carried that message, when it is not the verification's own (an SMS fallback).</summary>
    public static string Build(EventType type, VerificationRow row, string? deliveryStatus, long now, string? sendChannel = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type.ToWireName());
            json.WriteString("timestamp", Time(now));
            json.WriteStartObject("data");
            json.WriteString("id", row.Id);
            json.WriteString("service", row.ServiceId);
            json.WriteString("phone", "+" + PhoneMasking.Mask(row.Phone));
            json.WriteString("purpose", row.Purpose);
            json.WriteString("clientRef", row.ClientRef);
            WriteMetadata(json, row.Metadata);
            json.WriteString("status", row.Status);
            json.WriteString("channel", sendChannel ?? row.Channel);
            json.WriteString("failureReason", row.FailureReason);
            if (deliveryStatus is not null)
            {
                json.WriteString("deliveryStatus", deliveryStatus);
            }

            json.WriteBoolean("isTest", row.IsTest == 1);
            json.WriteString("createdAt", Time(row.CreatedAt));
            json.WriteString("expiresAt", Time(row.ExpiresAt));
            if (row.EndedAt is { } ended)
            {
                json.WriteString("endedAt", Time(ended));
            }
            else
            {
                json.WriteNull("endedAt");
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>An instant as the API writes it: UTC, milliseconds.</summary>
    public static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    // Stored as the JSON object the start was given (string pairs); copied as it is.
    private static void WriteMetadata(Utf8JsonWriter json, string? metadata)
    {
        json.WritePropertyName("metadata");
        if (metadata is null)
        {
            json.WriteNullValue();
            return;
        }

        using var document = JsonDocument.Parse(metadata);
        document.RootElement.WriteTo(json);
    }
}
