namespace OtpGate.Verification.Outbox;

/// <summary>Why a send job exists. Wire names: <see cref="Contract.WireNames"/>.</summary>
public enum SendReason
{
    Start,
    Resend,
    /// <summary>The one automatic resend after an ambiguous outcome (same code).</summary>
    AmbiguousRetry,
    /// <summary>A resend after a temporary delivery failure reported by the channel (same code).</summary>
    DeliveryRetry,
    /// <summary>The same code by SMS instead of WhatsApp: automatically (a fallback's cause) or at the user's request.</summary>
    Fallback,
}
