namespace OtpGate.Verification.Contract;

/// <summary>Why a code went by SMS instead of WhatsApp. Wire names: <see cref="WireNames"/>.</summary>
public enum FallbackCause
{
    /// <summary>WhatsApp refused or failed the message for good because the number cannot get it (not on WhatsApp, not opted in).</summary>
    WhatsAppUndeliverable,
    /// <summary>No <c>delivered</c> or <c>read</c> within the service's <c>Sms:DeliveryDeadline</c> after WhatsApp accepted the message.</summary>
    NotDeliveredInTime,
    /// <summary>The user (or the application for them) asked for the code by SMS.</summary>
    UserRequest,
}
