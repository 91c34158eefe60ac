using OtpGate.Verification.Channels;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;

namespace OtpGate.Verification.Contract;

/// <summary>
/// The wire names of the send side: how send statuses, failure reasons and send reasons are written in the database
/// and shown by the API. Each is a table of its own here, and every mapping (both ways, and the rank SQL) is read from it.
/// </summary>
public static partial class WireNames
{
    // A send's status only moves to a higher rank; "unknown" and "provider_queued" share one (neither is news of the other).
    private static readonly (SendStatus Status, string Name, int Rank)[] SendStatuses =
    [
        (SendStatus.Queued, "queued", 0),
        (SendStatus.Unknown, "unknown", 1),
        (SendStatus.ProviderQueued, "provider_queued", 1),
        (SendStatus.Accepted, "accepted", 2),
        (SendStatus.Sent, "sent", 3),
        (SendStatus.Failed, "failed", 4),
        (SendStatus.Delivered, "delivered", 5),
        (SendStatus.Read, "read", 6),
    ];

    private static readonly (FailureReason Reason, string Name)[] FailureReasons =
    [
        (FailureReason.Rejected, "rejected"),
        (FailureReason.ProviderUnavailable, "provider_unavailable"),
        (FailureReason.Undeliverable, "undeliverable"),
        (FailureReason.MessageExpired, "message_expired"),
        (FailureReason.DeliveryFailed, "delivery_failed"),
        (FailureReason.Ambiguous, "ambiguous"),
        (FailureReason.InvalidPhone, "invalid_phone"),
        (FailureReason.TemplateNotFound, "template_not_found"),
        (FailureReason.TemplateNotApproved, "template_not_approved"),
        (FailureReason.MissingNamespace, "missing_namespace"),
        (FailureReason.ParameterMismatch, "parameter_mismatch"),
        (FailureReason.InvalidRequest, "invalid_request"),
        (FailureReason.Unauthorized, "unauthorized"),
        (FailureReason.SendFailed, "send_failed"),
    ];

    private static readonly (SendReason Reason, string Name)[] SendReasons =
    [
        (SendReason.Start, "start"),
        (SendReason.Resend, "resend"),
        (SendReason.AmbiguousRetry, "ambiguous_retry"),
        (SendReason.DeliveryRetry, "delivery_retry"),
    ];

    public static string ToWireName(this SendStatus status) => Row(SendStatuses, r => r.Status == status, status).Name;

    public static string ToWireName(this FailureReason reason) => Row(FailureReasons, r => r.Reason == reason, reason).Name;

    public static string ToWireName(this SendReason reason) => Row(SendReasons, r => r.Reason == reason, reason).Name;

    /// <summary>The status's place in the forward-only order (<see cref="SendStatusRankSql"/> is the same order in SQL).</summary>
    public static int Rank(this SendStatus status) => Row(SendStatuses, r => r.Status == status, status).Rank;

    public static SendStatus ParseSendStatus(string name) => Row(SendStatuses, r => r.Name == name, name).Status;

    public static SendStatus? TryParseSendStatus(string? name) =>
        SendStatuses.Where(r => r.Name == name).Select(r => (SendStatus?)r.Status).FirstOrDefault();

    public static SendReason ParseSendReason(string name) => Row(SendReasons, r => r.Name == name, name).Reason;

    /// <summary>The reason a wire name stands for; null for text that is none (a send's failure may hold the channel's own words).</summary>
    public static FailureReason? TryParseFailureReason(string? name) =>
        FailureReasons.Where(r => r.Name == name).Select(r => (FailureReason?)r.Reason).FirstOrDefault();

    /// <summary>A SQL expression giving the rank of the send status in <paramref name="column"/> (-1 for a name not in the table).</summary>
    public static string SendStatusRankSql(string column) =>
        $"CASE {column} {string.Join(' ', SendStatuses.Select(r => $"WHEN '{r.Name}' THEN {r.Rank}"))} ELSE -1 END";

    /// <summary>The statuses' wire names as a SQL list (<c>'accepted', 'sent'</c>), for <c>IN (...)</c>.</summary>
    public static string SqlList(params SendStatus[] statuses) => string.Join(", ", statuses.Select(s => $"'{s.ToWireName()}'"));

    private static T Row<T, TKey>(T[] table, Func<T, bool> match, TKey key)
    {
        foreach (var row in table)
        {
            if (match(row))
            {
                return row;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(key), key, $"No wire name for {typeof(TKey).Name} {key}.");
    }
}
