namespace OtpGate.Verification.Outbox;

/// <summary>Why a send job exists.</summary>
public static class SendReasons
{
    public const string Start = "start";
    public const string Resend = "resend";
    /// <summary>The one automatic resend after an ambiguous outcome (same code).</summary>
    public const string AmbiguousRetry = "ambiguous_retry";
    /// <summary>A resend after a transient delivery failure reported by WhatsApp (same code).</summary>
    public const string DeliveryRetry = "delivery_retry";
}
