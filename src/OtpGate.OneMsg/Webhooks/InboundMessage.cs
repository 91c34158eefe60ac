namespace OtpGate.OneMsg.Webhooks;

/// <summary>A message event from a webhook callback (<c>messages[]</c>): returned, not treated as a status.</summary>
/// <param name="Id">The message id.</param>
/// <param name="ChatId">The chat id (<c>digits@c.us</c>), when present.</param>
/// <param name="Type">The message type (<c>chat</c>, <c>image</c>, …), when present.</param>
/// <param name="FromMe">True for echoes of messages the business sent.</param>
/// <param name="Body">The text or media URL, when present.</param>
public sealed record InboundMessage(string Id, string? ChatId, string? Type, bool FromMe, string? Body);
