using OtpGate.OneMsg.Webhooks;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg;

/// <summary>1MSG's and Meta's delivery statuses (webhook callbacks, <c>hookInfo</c>) as the engine's delivery news.</summary>
public static class DeliveryNewsTranslation
{
    /// <summary>The news among <paramref name="events"/>; status words that mean nothing for delivery are left out.</summary>
    public static IReadOnlyList<DeliveryNews> From(IReadOnlyList<StatusEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return [.. events.Select(From).OfType<DeliveryNews>()];
    }

    public static DeliveryNews? From(StatusEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Status switch
        {
            DeliveryStatus.Sent => new DeliveryNews(e.MessageId, DeliveryEvent.Sent, e.Timestamp),
            DeliveryStatus.Delivered => new DeliveryNews(e.MessageId, DeliveryEvent.Delivered, e.Timestamp),
            DeliveryStatus.Read => new DeliveryNews(e.MessageId, DeliveryEvent.Read, e.Timestamp),
            DeliveryStatus.Failed => new DeliveryNews(e.MessageId, DeliveryEvent.Failed, e.Timestamp, FailureOf(e.ErrorCode, e.ErrorText)),
            _ => null,
        };
    }

    /// <summary>A WhatsApp delivery failure, by Meta's error code and words.</summary>
    public static DeliveryFailure FailureOf(int? code, string? text) => new(ReasonOf(code, text), IsTemporary(code), text, code);

    // Meta's codes for "not now" (pair rate limit 131056, throughput 130429/80007, service trouble 131057/131000/131016)
    // rather than "this will never work".
    private static bool IsTemporary(int? code) => code is 131056 or 130429 or 131057 or 131000 or 131016 or 80007;

    private static FailureReason ReasonOf(int? code, string? text)
    {
        if (text is not null && (text.Contains("time to live", StringComparison.OrdinalIgnoreCase) || text.Contains("TTL", StringComparison.Ordinal)
            || text.Contains("expired", StringComparison.OrdinalIgnoreCase)))
        {
            return FailureReason.MessageExpired;
        }

        // 131026: the number cannot receive the message (not on WhatsApp, old version, terms not accepted).
        return code is 131026 ? FailureReason.Undeliverable : FailureReason.DeliveryFailed;
    }
}
