using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Services;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo;

/// <summary>What the "we sent a code" page shows about its verification, server-rendered first and then pushed live.</summary>
/// <param name="Stage">
/// What the page leads with (<see cref="SignUpStage"/>): the code, changing the number, or starting again. The page
/// reloads when it changes, so that the server renders the new stage whole (heading, actions, focus).
/// </param>
/// <param name="SmsNotice">Said once the code went by SMS (<see cref="SignUpSms.Notice"/>), else null.</param>
/// <param name="SmsOfferInSeconds">When "Send by SMS instead" shows (<see cref="SignUpSms.OfferInSeconds"/>), else null.</param>
public sealed record SignUpStatus(
    string Status,
    string Stage,
    string Delivery,
    string DeliveryText,
    int AttemptsLeft,
    int MaxAttempts,
    int SendsLeft,
    int? ResendInSeconds,
    string? Failure,
    string? SmsNotice,
    int? SmsOfferInSeconds)
{
    public bool Ended => Status != VerificationStatus.Pending.ToWireName();

    public static SignUpStatus From(VerificationSnapshot v, ServiceSettings settings, DateTimeOffset now)
    {
        var failure = FailureText(v);
        int? resendIn = v.ResendAvailableAt is { } at ? (int)Math.Max(0, Math.Ceiling((at - now).TotalSeconds)) : null;
        return new SignUpStatus(v.Status.ToWireName(), StageOf(v), v.DeliveryStatus, DescribeDelivery(v), v.AttemptsLeft, settings.MaxAttempts, v.SendsLeft,
            resendIn, failure, SignUpSms.Notice(v), SignUpSms.OfferInSeconds(v, settings, now));
    }

    /// <summary>The latest send's delivery, in the words of its channel.</summary>
    public static string DescribeDelivery(VerificationSnapshot v) =>
        SignUpSms.LatestBySms(v) ? SignUpSms.DescribeDelivery(WireNames.TryParseSendStatus(v.DeliveryStatus)) : DescribeDelivery(v.DeliveryStatus);

    public static string DescribeDelivery(string delivery) => WireNames.TryParseSendStatus(delivery) switch
    {
        SendStatus.Sent => "Sent to WhatsApp — waiting for your phone",
        SendStatus.Delivered => "Delivered to your phone",
        SendStatus.Read => "Delivered and read",
        SendStatus.Failed => "Not delivered",
        _ => "Sending the code to WhatsApp…",
    };

    /// <summary>
    /// The number itself cannot get the code (no WhatsApp, refused by WhatsApp): sending again to it cannot work, only
    /// another number can. Other failures (a phone offline too long, the channel down) may pass with a new code.
    /// </summary>
    public static bool NumberUnreachable(VerificationSnapshot v) =>
        WireNames.TryParseFailureReason(LastFailureReason(v)) is FailureReason.Undeliverable or FailureReason.InvalidPhone or FailureReason.Rejected;

    private static string StageOf(VerificationSnapshot v) => v.Status switch
    {
        VerificationStatus.Approved => SignUpStage.Approved,
        _ when NumberUnreachable(v) => SignUpStage.ChangeNumber,
        VerificationStatus.Pending => SignUpStage.Code,
        _ => SignUpStage.StartAgain,
    };

    private static string? LastFailureReason(VerificationSnapshot v) =>
        v.Status == VerificationStatus.Failed ? v.FailureReason
        : v.DeliveryStatus == SendStatus.Failed.ToWireName() ? v.Sends[^1].FailureReason
        : null;

    /// <summary>A sentence saying what went wrong and what to do, or null while nothing did.</summary>
    public static string? FailureText(VerificationSnapshot v)
    {
        var lastFailed = v.DeliveryStatus == SendStatus.Failed.ToWireName();
        if (v.Status != VerificationStatus.Failed && !lastFailed)
        {
            return null;
        }

        if (v.Status == VerificationStatus.Pending && SignUpSms.LatestBySms(v))
        {
            // The code went by SMS (WhatsApp could not take it) and the SMS did not arrive either.
            return "The SMS could not be delivered. Check the number, or ask for a new code.";
        }

        // A failed send may hold the channel's own words instead of a reason: those are none of the cases below.
        return WireNames.TryParseFailureReason(LastFailureReason(v)) switch
        {
            FailureReason.Undeliverable =>
                "This number doesn't seem to have WhatsApp. Check it, or use another number that has WhatsApp.",
            FailureReason.MessageExpired =>
                "WhatsApp couldn't deliver the code in time. Make sure the phone is online, then ask for a new code.",
            FailureReason.InvalidPhone or FailureReason.Rejected =>
                "WhatsApp refused to send to this number. Check it, or use another number.",
            _ when v.Status == VerificationStatus.Failed =>
                "We couldn't send the code to this number. Ask for a new code, or use another number.",
            _ => "The last message could not be delivered. Check the number, or ask for a new code.",
        };
    }
}

/// <summary>The verify page's stages: what it leads with.</summary>
public static class SignUpStage
{
    /// <summary>Pending: enter the code (with resend and change number beside it).</summary>
    public const string Code = "code";

    /// <summary>The number cannot get the code: change it; no code field, no "send a new code".</summary>
    public const string ChangeNumber = "change-number";

    /// <summary>Over (no attempts left, expired, canceled, a failure a new code may pass): send a new code.</summary>
    public const string StartAgain = "start-again";

    /// <summary>Approved: the page moves on to the welcome page.</summary>
    public const string Approved = "approved";
}
