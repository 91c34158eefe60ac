namespace OtpGate.OneMsg.Webhooks;

/// <summary>What the webhook payload parser found in one callback body.</summary>
public sealed record WebhookParseResult
{
    /// <summary>The delivery-status events, in payload order (duplicates kept; the receiver deduplicates).</summary>
    public IReadOnlyList<StatusEvent> Statuses { get; init; } = [];

    /// <summary>The message events (inbound messages and echoes).</summary>
    public IReadOnlyList<InboundMessage> Messages { get; init; } = [];

    /// <summary>The channel id the payload names (<c>instanceId</c>), when present.</summary>
    public string? InstanceId { get; init; }

    /// <summary>How many elements were skipped because they were not objects or had no id or status.</summary>
    public int Skipped { get; init; }

    /// <summary>Why the body could not be read, when it could not; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// True for a well-formed JSON object that is not a status or message callback (for example a calls event).
    /// <see cref="Error"/> says so; a receiver should still answer it with 200, or 1MSG retries it and may disable the webhook.
    /// </summary>
    public bool IsOtherEvent { get; init; }

    /// <summary>True when the body passed the size cap given to <see cref="WebhookPayloadParser.ParseAsync"/> (it was not read further).</summary>
    public bool IsTooLarge { get; init; }

    /// <summary>True when the body was understood (an empty list of events is still a success).</summary>
    public bool IsSuccess => Error is null;
}
