namespace OtpGate.OneMsg.Webhooks;

/// <summary>
/// One delivery-status update for one message, from a webhook callback or from <c>hookInfo</c>.
/// </summary>
/// <param name="MessageId">The <c>wamid.</c> id <c>sendTemplate</c> returned.</param>
/// <param name="Status">The mapped status.</param>
/// <param name="RawStatus">The status word as received (kept for unknown words).</param>
/// <param name="Timestamp">When the status happened, when the payload says (Meta's unix seconds); null otherwise.</param>
/// <param name="Recipient">The recipient's digits (<c>phone</c>, <c>recipient_id</c>, or the digits of <c>chatId</c>), when present.</param>
/// <param name="ErrorText">The failure reason in words (1MSG sends text, Meta sends a title and details), when present.</param>
/// <param name="ErrorCode">Meta's numeric error code (for example 131026), when present or recognisable from the text.</param>
public sealed record StatusEvent(
    string MessageId,
    DeliveryStatus Status,
    string RawStatus,
    DateTimeOffset? Timestamp,
    string? Recipient,
    string? ErrorText,
    int? ErrorCode)
{
    /// <summary>
    /// The recipient's business-scoped user id (<c>bsuid</c>, e.g. <c>CO.1726691741709890</c>), when the ack carries
    /// one: the only recipient key for a user known by a WhatsApp user name rather than a phone number. The ack's
    /// <c>userName</c> is not kept: a person's chosen name, which nothing here needs.
    /// </summary>
    public string? RecipientUserId { get; init; }
}
