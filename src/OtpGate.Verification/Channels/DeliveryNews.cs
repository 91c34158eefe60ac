namespace OtpGate.Verification.Channels;

/// <summary>What a channel reports about a message after it took it.</summary>
public enum DeliveryEvent
{
    Sent,
    Delivered,
    Read,
    Failed,
}

/// <summary>
/// News of one message from its channel (a callback or a poll), in the engine's terms. Stored once per message id and
/// event, and applied to the send that has the id (now or when it is recorded).
/// </summary>
/// <param name="MessageId">The id the channel gave when it accepted the message.</param>
/// <param name="Event">What happened.</param>
/// <param name="OccurredAt">When it happened, when the channel says.</param>
/// <param name="Failure">Why, for <see cref="DeliveryEvent.Failed"/>.</param>
public sealed record DeliveryNews(string MessageId, DeliveryEvent Event, DateTimeOffset? OccurredAt, DeliveryFailure? Failure = null);

/// <summary>
/// Why a message was not delivered. A temporary failure (the network said "not now") is worth one more send of the same
/// code; any other ends the verification unless another send may still deliver.
/// </summary>
/// <param name="Reason">The reason in the engine's terms.</param>
/// <param name="Temporary">True when a later send may succeed.</param>
/// <param name="Text">The channel's own words, kept for operators.</param>
/// <param name="Code">The channel's error code, when it gave one.</param>
public sealed record DeliveryFailure(FailureReason Reason, bool Temporary, string? Text, long? Code);
