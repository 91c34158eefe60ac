using OtpGate.Verification.Channels;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>
/// Twilio's answer to a send, in the engine's terms (docs/architecture.md, "Send outcomes"), as the 1MSG adapter does:
/// fix something (credentials, sender, Messaging Service, geographic permission: permanent, and alerting), the number
/// (invalid, a landline, unsubscribed), wait (429, a request that never left), or unknown (a timeout or 5xx after the
/// request left). Twilio warns that its codes change, so an unknown 4xx code is a permanent refusal to look at.
/// </summary>
internal static class TwilioSendClassification
{
    public static CodeSendOutcome Classify(TwilioAnswer answer, SmsRedaction redaction)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var said = redaction.Apply(answer.Message ?? answer.Failure);
        var detail = Detail(answer, said);
        return answer switch
        {
            { Transport: TwilioTransport.NeverLeft } => new CodeRetryLater(null, "Twilio could not be reached", detail),
            { Transport: TwilioTransport.TimedOut or TwilioTransport.BrokeAfterSending } => new CodeOutcomeUnknown(detail),
            { Status: >= 200 and < 300 } when answer.Text("sid") is { Length: > 0 } sid => new CodeAccepted(sid),
            // A 2xx without a message sid: it may have been queued, so it is never sent again blindly.
            { Status: >= 200 and < 300 } => new CodeOutcomeUnknown($"Twilio answered HTTP {answer.Status} without a message sid."),
            { Status: 429 } => new CodeRetryLater(answer.RetryAfter, "Twilio asked to slow down (429)", detail),
            { Status: >= 500 } => new CodeOutcomeUnknown(detail),
            _ => Refusal(answer, detail),
        };
    }

    private static CodeRejected Refusal(TwilioAnswer answer, string detail)
    {
        var reason = answer.Status is 401 or 403 && answer.Code is null or 20003 ? FailureReason.Unauthorized : ReasonOf(answer.Code);
        var fix = Fix(answer.Code, reason);
        return new CodeRejected(reason, Permanent: true, fix.Length == 0 ? detail : $"{detail} {fix}");
    }

    /// <summary>A refusal's reason by Twilio's error code.</summary>
    internal static FailureReason ReasonOf(int? code) => code switch
    {
        20003 or 20005 or 20008 => FailureReason.Unauthorized,
        21211 => FailureReason.InvalidPhone,
        // Not a mobile (a landline), unsubscribed with STOP, cannot be routed: the number cannot get an SMS.
        21614 or 21610 or 21612 or 21635 => FailureReason.Undeliverable,
        _ => FailureReason.InvalidRequest,
    };

    /// <summary>What the operator changes, for the refusals that are theirs to fix.</summary>
    internal static string Fix(int? code, FailureReason reason) => code switch
    {
        20003 or 20005 or 20008 => "Check Sms:Twilio:AccountSid and Sms:Twilio:AuthToken (or ApiKeySid and ApiKeySecret).",
        21606 or 21659 or 21212 or 21660 or 21661 =>
            "Sms:Twilio:From is not a number of this account that can send SMS to this destination: use one of the account's numbers, or a Messaging Service.",
        21701 or 21703 or 21704 or 21705 or 21706 or 21707 or 21708 or 21709 or 21710 or 21711 or 21712 or 21713 =>
            "Check Sms:Twilio:MessagingServiceSid and that the Messaging Service has senders in its pool.",
        21408 => "The account is not allowed to send SMS to this country: enable it in the Twilio console's Messaging Geographic Permissions.",
        21602 or 21617 => "The SMS text was refused: check the service's SMS text.",
        _ when reason == FailureReason.InvalidRequest => "Twilio refused the request; its code is explained at https://www.twilio.com/docs/errors.",
        _ => "",
    };

    private static string Detail(TwilioAnswer answer, string? said)
    {
        var status = answer.Status is { } http ? $"HTTP {http}" : null;
        var code = answer.Code is { } c ? $"code {c}" : null;
        var what = string.Join(", ", new[] { status, code }.OfType<string>());
        return (said, what.Length) switch
        {
            (null, 0) => "Twilio gave no answer.",
            (null, _) => $"Twilio answered {what}.",
            (_, 0) => $"{said.TrimEnd('.')}.",
            _ => $"Twilio answered {what}: {said.TrimEnd('.')}.",
        };
    }
}
