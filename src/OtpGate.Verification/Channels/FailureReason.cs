namespace OtpGate.Verification.Channels;

/// <summary>
/// Why a send or a verification failed, in the engine's terms (the API's <c>failureReason</c>); a channel adapter
/// classifies its own errors into these. Wire names: <see cref="Contract.WireNames"/>.
/// </summary>
public enum FailureReason
{
    /// <summary>The channel refused the message outright.</summary>
    Rejected,
    /// <summary>The channel could not be reached or asked to wait, until the code was no longer worth sending.</summary>
    ProviderUnavailable,
    /// <summary>The number cannot receive the message (for example, not on WhatsApp).</summary>
    Undeliverable,
    /// <summary>The message's time to live ran out before it was delivered.</summary>
    MessageExpired,
    /// <summary>Delivery failed for another reason.</summary>
    DeliveryFailed,
    /// <summary>No clear answer (a timeout or a 5xx after the request left).</summary>
    Ambiguous,
    InvalidPhone,
    TemplateNotFound,
    TemplateNotApproved,
    MissingNamespace,
    ParameterMismatch,
    InvalidRequest,
    Unauthorized,
    /// <summary>Any other failure to send.</summary>
    SendFailed,
}
