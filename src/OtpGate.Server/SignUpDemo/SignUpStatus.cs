using OtpGate.Verification.Channels;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo;

/// <summary>What the "we sent a code" page shows about its verification, server-rendered first and then pushed live.</summary>
public sealed record SignUpStatus(
    string Status,
    string Delivery,
    string DeliveryText,
    int AttemptsLeft,
    int MaxAttempts,
    int SendsLeft,
    int? ResendInSeconds,
    string? Failure)
{
    public bool Ended => Status != VerificationStatus.Pending.ToWireName();

    public static SignUpStatus From(VerificationSnapshot v, int maxAttempts, DateTimeOffset now)
    {
        var failure = FailureText(v);
        int? resendIn = v.ResendAvailableAt is { } at ? (int)Math.Max(0, Math.Ceiling((at - now).TotalSeconds)) : null;
        return new SignUpStatus(v.Status.ToWireName(), v.DeliveryStatus, DescribeDelivery(v.DeliveryStatus), v.AttemptsLeft, maxAttempts, v.SendsLeft, resendIn, failure);
    }

    public static string DescribeDelivery(string delivery) => WireNames.TryParseSendStatus(delivery) switch
    {
        SendStatus.Sent => "Sent to WhatsApp — waiting for your phone",
        SendStatus.Delivered => "Delivered to your phone",
        SendStatus.Read => "Delivered and read",
        SendStatus.Failed => "Not delivered",
        _ => "Sending the code to WhatsApp…",
    };

    /// <summary>A sentence saying what went wrong and what to do, or null while nothing did.</summary>
    public static string? FailureText(VerificationSnapshot v)
    {
        var lastFailed = v.DeliveryStatus == SendStatus.Failed.ToWireName();
        var reason = v.Status == VerificationStatus.Failed ? v.FailureReason : lastFailed ? v.Sends[^1].FailureReason : null;
        if (v.Status != VerificationStatus.Failed && !lastFailed)
        {
            return null;
        }

        // A failed send may hold the channel's own words instead of a reason: those are none of the cases below.
        return WireNames.TryParseFailureReason(reason) switch
        {
            FailureReason.Undeliverable =>
                "We couldn't deliver the code: this number doesn't seem to have WhatsApp. Check the number, or use another number that has WhatsApp.",
            FailureReason.MessageExpired =>
                "WhatsApp couldn't deliver the code in time. Make sure the phone is online, then ask for a new code.",
            FailureReason.InvalidPhone or FailureReason.Rejected =>
                "WhatsApp refused to send to this number. Check it, or use another number.",
            _ when v.Status == VerificationStatus.Failed =>
                "We couldn't send the code to this number. Check the number and try again, or use another number.",
            _ => "The last message could not be delivered. Check the number, or ask for a new code.",
        };
    }
}
