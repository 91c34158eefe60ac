using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Delivery;

/// <summary>The Meta errors the sandbox attaches to <c>failed</c> statuses.</summary>
internal static class DeliveryErrors
{
    public const string ErrorCodesHref = "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/";

    public static readonly SandboxDeliveryError NotOnWhatsApp = new(
        131026,
        "Message undeliverable",
        "Message Undeliverable: the recipient phone number is not a WhatsApp phone number.",
        "Message undeliverable: the number is not a WhatsApp user");

    // The Cloud API has no dedicated TTL code (On-Premises used 410 "Message expired"); Cloud
    // channels report an undelivered, expired message as 131026 with the TTL in the details, so the
    // sandbox does the same and keeps the On-Premises wording in the text.
    public static readonly SandboxDeliveryError TtlExpired = new(
        131026,
        "Message undeliverable",
        "Message failed to send during its Time To Live (TTL) duration.",
        "Message failed to send during its Time To Live (TTL) duration");
}
