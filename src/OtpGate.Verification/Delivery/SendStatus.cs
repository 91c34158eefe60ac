using OtpGate.OneMsg.Webhooks;

namespace OtpGate.Verification.Delivery;

/// <summary>
/// One send's delivery status. It only moves forward by <see cref="Rank"/>: a late <c>sent</c> never overwrites
/// <c>delivered</c>, and <c>delivered</c>/<c>read</c> after <c>failed</c> win (the user has several devices).
/// </summary>
public static class SendStatus
{
    /// <summary>Waiting in the outbox.</summary>
    public const string Queued = "queued";
    /// <summary>1MSG answered <c>sent: true</c> with a message id.</summary>
    public const string Accepted = "accepted";
    /// <summary>1MSG queued it (<c>jobId</c>, no message id yet).</summary>
    public const string ProviderQueued = "provider_queued";
    /// <summary>The send timed out or got a 5xx: it may or may not have gone out.</summary>
    public const string Unknown = "unknown";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Read = "read";
    public const string Failed = "failed";

    public static int Rank(string status) => status switch
    {
        Queued => 0,
        Unknown or ProviderQueued => 1,
        Accepted => 2,
        Sent => 3,
        Failed => 4,
        Delivered => 5,
        Read => 6,
        _ => -1,
    };

    /// <summary>The status a webhook word moves a send to, or null for words that do not move it.</summary>
    public static string? FromDelivery(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Sent => Sent,
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Read => Read,
        DeliveryStatus.Failed => Failed,
        _ => null,
    };

    /// <summary>True when the send reached the user's device (or was read there).</summary>
    public static bool IsDelivered(string status) => status is Delivered or Read;
}
