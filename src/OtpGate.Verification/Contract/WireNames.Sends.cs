using System.Collections.Frozen;
using OtpGate.Verification.Channels;
using OtpGate.Verification.Delivery;
using OtpGate.Verification.Outbox;

namespace OtpGate.Verification.Contract;

/// <summary>
/// The wire names of the send side: how send statuses, failure reasons, send reasons and fallback causes are written in the database
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
        (SendReason.Fallback, "fallback"),
    ];

    private static readonly (FallbackCause Cause, string Name)[] FallbackCauses =
    [
        (FallbackCause.WhatsAppUndeliverable, "whatsapp_undeliverable"),
        (FallbackCause.NotDeliveredInTime, "not_delivered_in_time"),
        (FallbackCause.UserRequest, "user_request"),
    ];

    // Lookups built once from the tables above (declared after them: initialisers run in order), so that the hot paths
    // (every send, every status) index an array or a frozen dictionary instead of searching.
    private static readonly string[] SendStatusNames = ByValue(SendStatuses, r => (int)r.Status, r => r.Name);
    private static readonly int[] SendStatusRanks = ByValue(SendStatuses, r => (int)r.Status, r => r.Rank);
    private static readonly string[] FailureReasonNames = ByValue(FailureReasons, r => (int)r.Reason, r => r.Name);
    private static readonly string[] SendReasonNames = ByValue(SendReasons, r => (int)r.Reason, r => r.Name);
    private static readonly string[] FallbackCauseNames = ByValue(FallbackCauses, r => (int)r.Cause, r => r.Name);
    private static readonly FrozenDictionary<string, FallbackCause> FallbackCauseByName = FallbackCauses.ToFrozenDictionary(r => r.Name, r => r.Cause, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, SendStatus> SendStatusByName = SendStatuses.ToFrozenDictionary(r => r.Name, r => r.Status, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, FailureReason> FailureReasonByName = FailureReasons.ToFrozenDictionary(r => r.Name, r => r.Reason, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, SendReason> SendReasonByName = SendReasons.ToFrozenDictionary(r => r.Name, r => r.Reason, StringComparer.Ordinal);

    public static string ToWireName(this SendStatus status) => Lookup(SendStatusNames, (int)status, status);

    public static string ToWireName(this FailureReason reason) => Lookup(FailureReasonNames, (int)reason, reason);

    public static string ToWireName(this SendReason reason) => Lookup(SendReasonNames, (int)reason, reason);

    public static string ToWireName(this FallbackCause cause) => Lookup(FallbackCauseNames, (int)cause, cause);

    /// <summary>The cause a wire name stands for; null for any other text.</summary>
    public static FallbackCause? TryParseFallbackCause(string? name) => name is not null && FallbackCauseByName.TryGetValue(name, out var cause) ? cause : null;

    /// <summary>The status's place in the forward-only order (<see cref="SendStatusRankSql"/> is the same order in SQL).</summary>
    public static int Rank(this SendStatus status) => Lookup(SendStatusRanks, (int)status, status);

    public static SendStatus ParseSendStatus(string name) =>
        SendStatusByName.TryGetValue(name, out var status) ? status : throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown send status.");

    public static SendStatus? TryParseSendStatus(string? name) => name is not null && SendStatusByName.TryGetValue(name, out var status) ? status : null;

    public static SendReason ParseSendReason(string name) =>
        SendReasonByName.TryGetValue(name, out var reason) ? reason : throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown send reason.");

    /// <summary>The reason a wire name stands for; null for text that is none (a send's failure may hold the channel's own words).</summary>
    public static FailureReason? TryParseFailureReason(string? name) => name is not null && FailureReasonByName.TryGetValue(name, out var reason) ? reason : null;

    /// <summary>A SQL expression giving the rank of the send status in <paramref name="column"/> (-1 for a name not in the table).</summary>
    public static string SendStatusRankSql(string column) =>
        $"CASE {column} {string.Join(' ', SendStatuses.Select(r => $"WHEN '{r.Name}' THEN {r.Rank}"))} ELSE -1 END";

    /// <summary>The statuses' wire names as a SQL list (<c>'accepted', 'sent'</c>), for <c>IN (...)</c>.</summary>
    public static string SqlList(params SendStatus[] statuses) => string.Join(", ", statuses.Select(s => $"'{s.ToWireName()}'"));

    // An array indexed by the enum's value, from a table of (value, word) rows; every member must have its row.
    private static TValue[] ByValue<TRow, TValue>(TRow[] table, Func<TRow, int> value, Func<TRow, TValue> pick)
    {
        var values = new TValue[table.Max(value) + 1];
        foreach (var row in table)
        {
            values[value(row)] = pick(row);
        }

        return values;
    }

    private static TValue Lookup<TValue, TKey>(TValue[] values, int index, TKey key) =>
        (uint)index < (uint)values.Length
            ? values[index]
            : throw new ArgumentOutOfRangeException(nameof(key), key, $"No wire name for {typeof(TKey).Name} {key}.");
}
