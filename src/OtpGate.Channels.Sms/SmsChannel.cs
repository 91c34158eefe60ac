using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms;

/// <summary>
/// SMS through Twilio Programmable Messaging, behind the engine's channel port: the code goes out as the message's
/// text (<see cref="CodeMessage.Text"/>), from the configured number or Messaging Service, with a status callback to
/// this server and a validity period from the code's time to live; Twilio's answers, statuses and error codes come
/// back in the engine's terms. A second SMS provider is a second class like this one behind the same name.
/// </summary>
public sealed partial class SmsChannel(
    TwilioMessagingClient client,
    IOptions<SmsOptions> options,
    SmsStatusCallbackUrl callbackUrl,
    ILogger<SmsChannel> logger) : ICodeChannel, IDeliveryPolling
{
    /// <summary>The name verifications and sends sent by SMS record.</summary>
    public const string ChannelName = "sms";

    /// <summary>Twilio keeps an SMS in its queue from 1 to 36,000 seconds (<c>ValidityPeriod</c>).</summary>
    internal const int MaxValidityPeriodSeconds = 36_000;

    public string Name => ChannelName;

    public async Task<CodeSendOutcome> SendCodeAsync(CodeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var redaction = Redaction(message.Code);
        var outcome = TwilioSendClassification.Classify(await client.SendAsync(Form(message), cancellationToken), redaction);
        Log(outcome, message);
        return outcome;
    }

    public async Task<IReadOnlyList<DeliveryNews>> PollDeliveryAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var answer = await client.FetchMessageAsync(messageId, cancellationToken);
        if (!answer.IsSuccess)
        {
            var why = answer.Status is { } status ? $"HTTP {status}{(answer.Code is { } code ? $", code {code}" : "")}" : answer.Failure;
            throw new ChannelUnavailableException($"Twilio could not be asked for an SMS's status ({why}).");
        }

        var errorCode = answer.Body!["error_code"] is { } node && int.TryParse(node.ToString(), out var parsed) ? parsed : (int?)null;
        var at = TwilioDeliveryNews.ParseDate(answer.Text("date_updated"));
        return TwilioDeliveryNews.From(messageId, answer.Text("status"), errorCode, at) is { } news ? [news] : [];
    }

    /// <summary>The send's form: To in E.164, the sender, the text, the callback, and how long Twilio may keep trying.</summary>
    internal List<KeyValuePair<string, string>> Form(CodeMessage message)
    {
        var twilio = options.Value.Twilio;
        List<KeyValuePair<string, string>> form = [new("To", message.Phone.E164)];
        if (!string.IsNullOrWhiteSpace(twilio.From))
        {
            form.Add(new("From", twilio.From.Trim()));
        }
        else
        {
            form.Add(new("MessagingServiceSid", twilio.MessagingServiceSid!.Trim()));
        }

        form.Add(new("Body", message.Text));
        if (callbackUrl.Value is { } callback)
        {
            form.Add(new("StatusCallback", callback));
        }

        var seconds = (int)Math.Clamp(Math.Ceiling(message.TimeToLive.TotalSeconds), 1, MaxValidityPeriodSeconds);
        form.Add(new("ValidityPeriod", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return form;
    }

    private SmsRedaction Redaction(string code)
    {
        var twilio = options.Value.Twilio;
        return new SmsRedaction(code, twilio.AuthToken, twilio.ApiKeySecret);
    }

    private void Log(CodeSendOutcome outcome, CodeMessage message)
    {
        switch (outcome)
        {
            case CodeAccepted accepted:
                SmsLog.Accepted(logger, message.Phone.Masked, accepted.MessageId);
                break;
            case CodeRejected rejected:
                SmsLog.Rejected(logger, message.Phone.Masked, rejected.Reason, rejected.Detail ?? "");
                break;
            case CodeRetryLater later:
                SmsLog.RetryLater(logger, message.Phone.Masked, later.Why);
                break;
            case CodeOutcomeUnknown unknown:
                SmsLog.Unknown(logger, message.Phone.Masked, unknown.Detail ?? "");
                break;
        }
    }
}
