using OtpGate.OneMsg.Sending;

namespace OtpGate.Verification.Outbox;

/// <summary>The machine-readable reasons a send or a verification failed (the API's <c>failureReason</c>).</summary>
public static class FailureReasons
{
    public const string Rejected = "rejected";
    public const string ProviderUnavailable = "provider_unavailable";
    public const string Undeliverable = "undeliverable";
    public const string MessageExpired = "message_expired";
    public const string DeliveryFailed = "delivery_failed";
    public const string Ambiguous = "ambiguous";

    public static string From(SendFailureKind kind) => kind switch
    {
        SendFailureKind.InvalidPhone => "invalid_phone",
        SendFailureKind.TemplateNotFound => "template_not_found",
        SendFailureKind.TemplateNotApproved => "template_not_approved",
        SendFailureKind.MissingNamespace => "missing_namespace",
        SendFailureKind.ParameterMismatch => "parameter_mismatch",
        SendFailureKind.InvalidRequest => "invalid_request",
        SendFailureKind.Unauthorized => "unauthorized",
        SendFailureKind.RateLimited or SendFailureKind.Transient => ProviderUnavailable,
        SendFailureKind.Ambiguous or SendFailureKind.Unknown => Ambiguous,
        _ => "send_failed",
    };

    /// <summary>Meta error codes that say "try again later" rather than "this will never work".</summary>
    public static bool IsTransientDeliveryError(int? code) => code is 131056 or 130429 or 131057 or 131000 or 131016 or 80007;

    /// <summary>The reason for a delivery failure reported by WhatsApp.</summary>
    public static string FromDeliveryError(int? code, string? text)
    {
        if (text is not null && (text.Contains("time to live", StringComparison.OrdinalIgnoreCase) || text.Contains("TTL", StringComparison.Ordinal) || text.Contains("expired", StringComparison.OrdinalIgnoreCase)))
        {
            return MessageExpired;
        }

        return code switch
        {
            131026 => Undeliverable,
            _ => DeliveryFailed,
        };
    }
}
