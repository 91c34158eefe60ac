using System.Globalization;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>
/// Twilio's message statuses (status callbacks' <c>MessageStatus</c>, a fetched message's <c>status</c>) and delivery
/// error codes (<c>ErrorCode</c>, <c>error_code</c>) as the engine's delivery news.
/// </summary>
public static class TwilioDeliveryNews
{
    /// <summary>
    /// The news a status stands for: <c>sent</c>, <c>delivered</c>, <c>read</c>, and <c>undelivered</c>/<c>failed</c>
    /// with the error classified; null for the steps before sending (<c>accepted</c>, <c>queued</c>, <c>sending</c>,
    /// <c>scheduled</c>) and words Twilio may add later.
    /// </summary>
    public static DeliveryNews? From(string messageSid, string? status, int? errorCode, DateTimeOffset? at) =>
        status?.Trim().ToLowerInvariant() switch
        {
            "sent" => new DeliveryNews(messageSid, DeliveryEvent.Sent, at),
            "delivered" => new DeliveryNews(messageSid, DeliveryEvent.Delivered, at),
            "read" => new DeliveryNews(messageSid, DeliveryEvent.Read, at),
            "undelivered" or "failed" => new DeliveryNews(messageSid, DeliveryEvent.Failed, at, FailureOf(errorCode)),
            _ => null,
        };

    /// <summary>An SMS delivery failure by Twilio's error code (30001–30036 and the like); an unknown code is a permanent delivery failure.</summary>
    public static DeliveryFailure FailureOf(int? code)
    {
        var (reason, temporary, words) = code switch
        {
            // "Not now": a later send of the same code may arrive.
            30001 => (FailureReason.DeliveryFailed, true, "queue overflow"),
            30003 => (FailureReason.DeliveryFailed, true, "unreachable destination handset (switched off or out of coverage)"),
            30008 => (FailureReason.DeliveryFailed, true, "unknown error from the carrier"),
            30009 => (FailureReason.DeliveryFailed, true, "missing segment"),
            30017 => (FailureReason.DeliveryFailed, true, "carrier network congestion"),
            30022 or 30023 or 30027 => (FailureReason.DeliveryFailed, true, "A2P 10DLC throughput or daily limit exceeded"),
            // The number cannot get this SMS.
            30004 => (FailureReason.Undeliverable, false, "message blocked by the recipient or their carrier"),
            30005 => (FailureReason.Undeliverable, false, "unknown destination handset (the number does not exist or is out of service)"),
            30006 => (FailureReason.Undeliverable, false, "landline or unreachable carrier"),
            // The content or the sender: the operator's to fix.
            30007 => (FailureReason.Rejected, false, "message filtered by the carrier as spam or fraud"),
            30038 => (FailureReason.Rejected, false, "one-time-password message body filtered"),
            30002 => (FailureReason.Unauthorized, false, "the Twilio account is suspended"),
            30010 => (FailureReason.InvalidRequest, false, "the message price exceeds the max price"),
            30018 or 30024 => (FailureReason.InvalidRequest, false, "the destination carrier requires a registered sender id"),
            30032 => (FailureReason.InvalidRequest, false, "the toll-free sender is not verified"),
            30034 => (FailureReason.InvalidRequest, false, "sent from a number not registered for A2P 10DLC"),
            30036 => (FailureReason.MessageExpired, false, "the validity period ran out in Twilio's queue"),
            null => (FailureReason.DeliveryFailed, false, "no error code"),
            _ => (FailureReason.DeliveryFailed, false, "see https://www.twilio.com/docs/errors"),
        };
        var text = code is { } c ? $"Twilio error {c.ToString(CultureInfo.InvariantCulture)}: {words}" : $"Twilio: {words}";
        return new DeliveryFailure(reason, temporary, text, code);
    }

    /// <summary>A status callback's form (<c>MessageSid</c>, <c>MessageStatus</c>, <c>ErrorCode</c>); null when it is not one.</summary>
    public static TwilioStatusCallback? ReadCallback(IEnumerable<KeyValuePair<string, string>> form)
    {
        ArgumentNullException.ThrowIfNull(form);
        string? sid = null, status = null, error = null;
        foreach (var (name, value) in form)
        {
            switch (name)
            {
                case "MessageSid":
                    sid = value;
                    break;
                case "MessageStatus":
                    status = value;
                    break;
                case "ErrorCode":
                    error = value;
                    break;
            }
        }

        if (string.IsNullOrWhiteSpace(sid) || sid.Length > 64 || string.IsNullOrWhiteSpace(status))
        {
            return null;
        }

        int? code = int.TryParse(error, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new TwilioStatusCallback(sid.Trim(), status.Trim(), code);
    }

    /// <summary>Twilio's dates in its REST answers: RFC 2822, <c>Thu, 30 Jul 2015 20:00:00 +0000</c>.</summary>
    internal static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParseExact(text, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var other) ? other : null;
}

/// <summary>One status callback: the message, its status word, and the error code a failure carries.</summary>
public sealed record TwilioStatusCallback(string MessageSid, string Status, int? ErrorCode)
{
    /// <summary>The news it carries at <paramref name="receivedAt"/> (Twilio's callbacks carry no time); null for a step before sending.</summary>
    public DeliveryNews? ToNews(DateTimeOffset receivedAt) => TwilioDeliveryNews.From(MessageSid, Status, ErrorCode, receivedAt);
}
