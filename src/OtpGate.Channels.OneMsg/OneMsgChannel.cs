using OtpGate.Channels.OneMsg.Templates;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Sending;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.OneMsg;

/// <summary>
/// WhatsApp through 1MSG, behind the engine's channel port: a code goes out in the approved authentication template of
/// its locale (the one the verification's service names, else the configured one), and 1MSG's answers, statuses and error codes come back in the engine's terms.
/// The client is built at the first send or poll, not with the dispatcher that holds this channel: its HTTP handlers and
/// resilience pipeline cost about 45 ms, which would otherwise be spent before the server listens.
/// </summary>
public sealed class OneMsgChannel(Lazy<OneMsgClient> lazyClient, TemplateCatalog templates) : ICodeChannel, IDeliveryPolling
{
    /// <summary>The name verifications and sends sent through 1MSG record.</summary>
    public const string ChannelName = "whatsapp";

    public string Name => ChannelName;

    public async Task<CodeSendOutcome> SendCodeAsync(CodeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        SendResult result;
        try
        {
            var reference = message.Template is null ? templates.Resolve(message.Locale) : templates.Resolve(message.Template);
            result = await lazyClient.Value.SendAuthenticationCodeAsync(message.Phone.Digits, message.Code, reference, (int)message.TimeToLive.TotalSeconds, cancellationToken);
        }
        catch (ArgumentException e)
        {
            // The template configuration is incomplete: no request left, and none will succeed until it is fixed.
            return new CodeRejected(FailureReason.InvalidRequest, Permanent: true, e.Message);
        }

        return SendClassification.Classify(result);
    }

    public async Task<IReadOnlyList<DeliveryNews>> PollDeliveryAsync(string messageId, CancellationToken cancellationToken)
    {
        IReadOnlyList<OtpGate.OneMsg.Webhooks.StatusEvent> events;
        try
        {
            events = await lazyClient.Value.GetHookInfoAsync(messageId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // 1MSG's messages may quote the message id, which encodes the number: only its fingerprint goes on.
            throw new ChannelUnavailableException(MessageIdMasking.Redact(e.Message), e);
        }

        return DeliveryNewsTranslation.From(events);
    }
}
