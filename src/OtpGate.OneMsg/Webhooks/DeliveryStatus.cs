namespace OtpGate.OneMsg.Webhooks;

/// <summary>
/// A message's delivery status as 1MSG and Meta report it. <c>undelivered</c> maps to <see cref="Failed"/>,
/// <c>viewed</c> and <c>played</c> to <see cref="Read"/>; any other word is <see cref="Unknown"/> (the word is
/// kept in <see cref="StatusEvent.RawStatus"/>).
/// </summary>
public enum DeliveryStatus
{
    /// <summary>A status word this library does not know.</summary>
    Unknown = 0,
    /// <summary>In transit within WhatsApp.</summary>
    Sent,
    /// <summary>Reached the recipient's device.</summary>
    Delivered,
    /// <summary>Opened (only with read receipts on; its absence is not a failure).</summary>
    Read,
    /// <summary>Not delivered; a reason is usually attached.</summary>
    Failed,
}

/// <summary>Maps status words to <see cref="DeliveryStatus"/>.</summary>
public static class DeliveryStatusWords
{
    /// <summary>Maps a 1MSG or Meta status word (any case) to a status; unknown words give <see cref="DeliveryStatus.Unknown"/>.</summary>
    public static DeliveryStatus Parse(string? word) => word?.Trim().ToUpperInvariant() switch
    {
        "SENT" => DeliveryStatus.Sent,
        "DELIVERED" => DeliveryStatus.Delivered,
        "READ" or "VIEWED" or "PLAYED" => DeliveryStatus.Read,
        "FAILED" or "UNDELIVERED" => DeliveryStatus.Failed,
        _ => DeliveryStatus.Unknown,
    };

    /// <summary>The lowercase wire word for a status (<c>sent</c>, <c>delivered</c>, <c>read</c>, <c>failed</c>).</summary>
    public static string ToWord(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => "sent",
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Read => "read",
        DeliveryStatus.Failed => "failed",
        _ => "unknown",
    };
}
