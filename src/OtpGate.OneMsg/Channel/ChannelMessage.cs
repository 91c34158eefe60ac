namespace OtpGate.OneMsg.Channel;

/// <summary>One message of the channel's history (<c>GET messages</c>).</summary>
/// <param name="MessageNumber">1MSG's running number, for paging (<see cref="MessageQuery.AfterMessageNumber"/>).</param>
/// <param name="Id">The message id (<c>wamid.</c> for messages sent through the Cloud API).</param>
/// <param name="ChatId">The chat, such as <c>12125550100@c.us</c>.</param>
/// <param name="Body">The text, or a temporary link for media.</param>
/// <param name="Type">1MSG's message type, such as <c>chat</c> or <c>image</c>.</param>
/// <param name="FromMe">True for messages the business sent (including echoes of its own sends): never customer input.</param>
/// <param name="Time">When the message was sent or received; null when 1MSG gave no usable time.</param>
public sealed record ChannelMessage(long? MessageNumber, string Id, string? ChatId, string? Body, string? Type, bool FromMe, DateTimeOffset? Time)
{
    /// <summary>Who wrote it (a chat id).</summary>
    public string? Author { get; init; }

    /// <summary>The sender's display name.</summary>
    public string? SenderName { get; init; }

    /// <summary>The chat's display name.</summary>
    public string? ChatName { get; init; }

    /// <summary>A media caption or file name.</summary>
    public string? Caption { get; init; }

    /// <summary>The id of the message this one quotes.</summary>
    public string? QuotedMessageId { get; init; }
}

/// <summary>Which messages <see cref="OneMsgClient.GetMessagesAsync"/> asks for; every property is optional.</summary>
public sealed record MessageQuery
{
    /// <summary>Only this chat (<c>digits@c.us</c>).</summary>
    public string? ChatId { get; init; }

    /// <summary>Only the message with this id.</summary>
    public string? MessageId { get; init; }

    /// <summary>At most this many (1MSG's default is 100; 0 asks for all).</summary>
    public int? Limit { get; init; }

    /// <summary>The most recent messages rather than the oldest (1MSG's <c>last</c>).</summary>
    public bool Last { get; init; }

    /// <summary>Messages numbered after this one (1MSG's <c>lastMessageNumber</c>: the last number of the previous page).</summary>
    public long? AfterMessageNumber { get; init; }

    /// <summary>Messages numbered before this one (1MSG's <c>firstMessageNumber</c>), to page backward.</summary>
    public long? BeforeMessageNumber { get; init; }

    /// <summary>Messages at or after this time (1MSG's <c>min_time</c>, whole seconds).</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Messages at or before this time (1MSG's <c>max_time</c>, whole seconds).</summary>
    public DateTimeOffset? To { get; init; }
}
