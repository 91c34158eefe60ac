namespace OtpGate.Verification.Channels;

/// <summary>
/// The one seam between the engine and a messaging channel: the engine sends a code through it and learns the send's
/// fate in its own terms (<see cref="CodeSendOutcome"/>, and later <see cref="DeliveryNews"/>). An adapter holds
/// everything about its provider (templates, error codes, payloads); the lifecycle names none of it.
/// </summary>
public interface ICodeChannel
{
    /// <summary>The channel's stored name (<c>whatsapp</c>): every verification and send records the channel that carried it.</summary>
    string Name { get; }

    /// <summary>
    /// Sends the message's code to its phone in its locale, to be given up by the network after its time to live: a
    /// template channel in the template the verification's service names for the locale, else in its own template for
    /// it; a text channel as the message's text. Expected failures are outcomes, never exceptions.
    /// </summary>
    Task<CodeSendOutcome> SendCodeAsync(CodeMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// A channel that can be asked for a message's delivery news (for when its callbacks are late or missing). The status
/// poller uses it for the sends of channels that have it.
/// </summary>
public interface IDeliveryPolling
{
    /// <summary>The news the channel holds for one message, in its order; empty when none.</summary>
    /// <exception cref="ChannelUnavailableException">The channel could not be asked.</exception>
    Task<IReadOnlyList<DeliveryNews>> PollDeliveryAsync(string messageId, CancellationToken cancellationToken);
}

/// <summary>The channel could not be asked; the message is safe to log (no message id or number in clear).</summary>
public sealed class ChannelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
