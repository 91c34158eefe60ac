using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// What the code page says and offers about SMS: the notice once the code went by SMS, and when "Send by SMS instead"
/// is offered.
/// </summary>
public static class SignUpSms
{
    public const string AutomaticNotice = "We couldn't reach your WhatsApp, so we sent the code by SMS.";
    public const string RequestedNotice = "We sent the code by SMS.";

    /// <summary>The sentence for the page's live notice once the code went by SMS, or null while it has not.</summary>
    public static string? Notice(VerificationSnapshot v) => WireNames.TryParseFallbackCause(v.Fallback?.Cause) switch
    {
        FallbackCause.WhatsAppUndeliverable or FallbackCause.NotDeliveredInTime => AutomaticNotice,
        FallbackCause.UserRequest => RequestedNotice,
        _ => null,
    };

    /// <summary>Whether the latest send went by SMS.</summary>
    public static bool LatestBySms(VerificationSnapshot v) => v.Sends is [.., { Channel: CodeChannels.SmsName }];

    /// <summary>
    /// In how many seconds "Send by SMS instead" is offered (0: now), or null when it is not: the code cannot go by SMS
    /// now (<see cref="VerificationSnapshot.SmsAvailable"/>: no SMS channel, the service does not allow it, it already
    /// went by SMS, or the verification is over), no code can be sent any more, or the latest WhatsApp message was
    /// delivered or read. Offered once that message has been out longer than the service's delivery deadline: since
    /// WhatsApp took it, or since it was queued when WhatsApp never said it took it (queued on its side, no answer).
    /// </summary>
    public static int? OfferInSeconds(VerificationSnapshot v, ServiceSettings settings, DateTimeOffset now)
    {
        if (!v.SmsAvailable || v.ResendAvailableAt is null
            || v.Sends.LastOrDefault(s => s.Channel != CodeChannels.SmsName) is not { } latest
            || WireNames.TryParseSendStatus(latest.Status) is SendStatus.Delivered or SendStatus.Read)
        {
            return null;
        }

        var due = (latest.AcceptedAt ?? latest.CreatedAt) + settings.Sms.DeliveryDeadline;
        return (int)Math.Max(0, Math.Ceiling((due - now).TotalSeconds));
    }

    /// <summary>The delivery line for a send by SMS (SMS has no "read").</summary>
    public static string DescribeDelivery(SendStatus? status) => status switch
    {
        SendStatus.Sent => "Sent by SMS — waiting for your phone",
        SendStatus.Delivered or SendStatus.Read => "SMS delivered to your phone",
        SendStatus.Failed => "SMS not delivered",
        _ => "Sending the code by SMS…",
    };
}
