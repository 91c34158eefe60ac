namespace OtpGate.Verification.Delivery;

/// <summary>
/// One send's delivery status. It only moves forward by its rank (<see cref="Contract.WireNames"/>): a late <c>sent</c>
/// never overwrites <c>delivered</c>, and <c>delivered</c>/<c>read</c> after <c>failed</c> win (the user has several devices).
/// </summary>
public enum SendStatus
{
    /// <summary>Waiting in the outbox.</summary>
    Queued,
    /// <summary>The channel took it and gave its message id.</summary>
    Accepted,
    /// <summary>The channel queued it on its side (a job id, no message id yet).</summary>
    ProviderQueued,
    /// <summary>The send timed out or got a 5xx: it may or may not have gone out.</summary>
    Unknown,
    Sent,
    Delivered,
    Read,
    Failed,
}

public static class SendStatusExtensions
{
    /// <summary>True when the send reached the user's device (or was read there).</summary>
    public static bool IsDelivered(this SendStatus status) => status is SendStatus.Delivered or SendStatus.Read;
}
