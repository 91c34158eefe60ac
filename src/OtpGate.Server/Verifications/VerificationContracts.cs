using System.ComponentModel;
using System.Text.Json.Serialization;
using OtpGate.Verification.Contract;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Verifications;

/// <summary>Starts a verification. Unknown fields are refused, so a typo is a 400 rather than a silently ignored setting.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record StartVerificationRequest(
    [property: Description("The phone number in international format, e.g. \"+1 212 555 0100\".")] string? Phone,
    [property: Description("What the code is for (default \"registration\"); one live verification per phone and purpose.")] string? Purpose = null,
    [property: Description("Chooses the WhatsApp template language, e.g. \"en\" or \"pt_BR\" (default \"en\").")] string? Locale = null,
    [property: Description("Your own reference, e.g. a sign-up id (at most 128 characters).")] string? ClientRef = null,
    [property: Description("Your end user's IP address, for the per-IP start limit.")] string? ClientIp = null,
    [property: Description("Up to 16 small string pairs kept with the verification.")] Dictionary<string, string>? Metadata = null,
    [property: Description("\"whatsapp\" (the default) or \"sms\": the code goes by SMS from the start (channel_unavailable when no SMS channel is configured).")] string? Channel = null);

/// <summary>Resends the code; the body is optional.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ResendVerificationRequest(
    [property: Description("\"sms\" sends the code by SMS now (the user asked for it; fallback cause user_request); left out, the verification's own channel.")] string? Channel = null);

/// <summary>Checks a code.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CheckVerificationRequest(
    [property: Description("The code the user typed.")] string? Code);

/// <summary>A verification as the API shows it. It never carries the code.</summary>
public sealed record VerificationResponse(
    string Id,
    [property: Description("pending, approved, expired, max_attempts_reached, canceled or failed.")] string Status,
    [property: Description("E.164, e.g. +12125550100.")] string Phone,
    string Region,
    string Purpose,
    string Locale,
    [property: Description("The channel the verification's code goes on: whatsapp, or sms when it was started with channel \"sms\" (a fallback's SMS is in sends and fallback).")] string Channel,
    string? ClientRef,
    IReadOnlyDictionary<string, string>? Metadata,
    [property: Description("True for a configured test number: nothing is sent.")] bool IsTest,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? EndedAt,
    int AttemptsLeft,
    int SendsLeft,
    [property: Description("When a resend is possible (null when it no longer is).")] DateTimeOffset? ResendAvailableAt,
    [property: Description("The latest send's delivery status: queued, accepted, sent, delivered, read, failed (or unknown, provider_queued).")] string DeliveryStatus,
    [property: Description("Why the verification failed, e.g. undeliverable, rejected, message_expired.")] string? FailureReason,
    [property: Description("Each message, with the channel that carried it (whatsapp or sms) and why it was sent (start, resend, ambiguous_retry, delivery_retry, fallback).")] IReadOnlyList<SendSnapshot> Sends,
    [property: Description("Every state change with its time: created, send_queued, delivery (sent, delivered, read, failed with a reason), fallback (its cause first), check_failed, approved, ...")] IReadOnlyList<TimelineEntry> Timeline,
    [property: Description("The first time the code went by SMS instead of WhatsApp: channel, cause (whatsapp_undeliverable, not_delivered_in_time, user_request) and when; null when it did not.")] FallbackSnapshot? Fallback,
    [property: Description("True when the code may be asked for by SMS now (resend with channel \"sms\"): an SMS channel is configured, the service allows it, the verification is pending and has sent no SMS yet.")] bool SmsAvailable)
{
    public static VerificationResponse From(VerificationSnapshot v) => new(
        v.Id, v.Status.ToWireName(), "+" + v.Phone, v.Region, v.Purpose, v.Locale, v.Channel, v.ClientRef, v.Metadata, v.IsTest,
        v.CreatedAt, v.ExpiresAt, v.EndedAt, v.AttemptsLeft, v.SendsLeft, v.ResendAvailableAt, v.DeliveryStatus, v.FailureReason,
        v.Sends, v.Timeline, v.Fallback, v.SmsAvailable);
}
