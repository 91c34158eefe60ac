using System.Text.Json;
using OtpGate.OneMsg.Http;
using OtpGate.OneMsg.Json;

namespace OtpGate.OneMsg.Sending;

/// <summary>What the classifier needs to know about the send it is judging.</summary>
/// <param name="TemplateName">The template name sent (removed from 1MSG's text before keyword matching).</param>
/// <param name="Namespace">The namespace sent, if any.</param>
/// <param name="Token">The channel token, redacted from anything kept.</param>
/// <param name="Secrets">The parameter values (the code), redacted from anything kept.</param>
internal sealed record SendContext(string TemplateName, string? Namespace, string? Token, IReadOnlyList<string> Secrets);

/// <summary>
/// Turns 1MSG's answer to <c>sendTemplate</c> (or the lack of one) into a <see cref="SendResult"/>.
/// 1MSG has no uniform error envelope, so refusals are told apart by Meta's error codes first and by
/// wording second; the rules are ordered from most to least specific.
/// </summary>
internal static class SendOutcomeClassifier
{
    public static SendResult FromResponse(int status, string body, TimeSpan? retryAfter, SendContext context)
    {
        var raw = Redactor.RedactAndTruncate(body, SendResult.MaxRawBodyLength, context.Token, context.Secrets);
        var said = ResponseText.ErrorMessage(body) is { } text ? Redactor.Redact(text, context.Token, context.Secrets) : null;
        var because = said is null ? "" : $": {said}";

        return status switch
        {
            >= 200 and < 300 => FromSuccessStatus(status, body, raw, context),
            401 or 403 => new SendFailed(SendFailureKind.Unauthorized,
                $"1MSG refused the channel credentials (HTTP {status}){because}. Check OneMsg:Token and OneMsg:ChannelId.", null, status, raw),
            429 => new SendFailed(SendFailureKind.RateLimited,
                $"1MSG is rate limiting this channel (HTTP 429){because}. The message was not sent; try again later.", retryAfter, status, raw),
            >= 500 => new SendFailed(SendFailureKind.Ambiguous,
                $"1MSG answered HTTP {status}{because}. The message may or may not have been sent.", null, status, raw),
            >= 400 => Refused(status, because, raw, ClassifyRefusal(said, context)),
            _ => new SendFailed(SendFailureKind.Unknown,
                $"1MSG answered HTTP {status}, which this client does not expect{because}.", null, status, raw),
        };
    }

    /// <summary>What to change for a refusal of the request itself; empty when there is nothing specific to say.</summary>
    internal static string Fix(SendFailureKind kind) => kind switch
    {
        // 1MSG says 422 "namespace is not defined" or 400 "template is not defined" (its n8n node's tests) for a missing namespace.
        SendFailureKind.MissingNamespace =>
            " The template namespace is missing or is not this template's: set it to the namespace GET templates lists for the template"
            + " (its namespace, or message_template_namespace).",
        SendFailureKind.TemplateNotFound => " No template has this name and language: compare both with what GET templates lists.",
        SendFailureKind.TemplateNotApproved => " The template is not approved (or is paused): use an approved one, or wait for Meta's review.",
        SendFailureKind.ParameterMismatch =>
            " The parameters do not match the template's variables: send one per variable the template defines"
            + " (an authentication template takes the code in the body and in the copy-code button).",
        _ => "",
    };

    private static SendFailed Refused(int status, string because, string raw, SendFailureKind kind) =>
        new(kind, $"1MSG refused the send (HTTP {status}){because}.{Fix(kind)}", null, status, raw);

    public static SendFailed FromException(Exception exception, TimeSpan attemptTimeout, CancellationToken callerToken)
    {
        if (TransportFailure.RequestNeverLeft(exception))
        {
            return new SendFailed(SendFailureKind.Transient,
                $"Could not reach 1MSG ({exception.Message}). The message was not sent; it is safe to try again.", null, null, null);
        }

        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError })
        {
            return new SendFailed(SendFailureKind.Transient,
                $"The TLS handshake with 1MSG failed ({exception.Message}). The message was not sent.", null, null, null);
        }

        if (TransportFailure.IsTimeout(exception, callerToken))
        {
            return new SendFailed(SendFailureKind.Ambiguous,
                $"1MSG did not answer within {attemptTimeout.TotalSeconds:0.###} s. The message may or may not have been sent.", null, null, null);
        }

        return new SendFailed(SendFailureKind.Ambiguous,
            $"The connection to 1MSG failed after the request was sent ({exception.Message}). The message may or may not have been sent.", null, null, null);
    }

    private static SendResult FromSuccessStatus(int status, string body, string raw, SendContext context)
    {
        using var document = ResponseText.TryParse(body);
        if (document is not { RootElement.ValueKind: JsonValueKind.Object })
        {
            return new SendFailed(SendFailureKind.Unknown,
                $"1MSG answered HTTP {status} with something that is not a JSON object, so whether the message was accepted is unknown.", null, status, raw);
        }

        var root = document.RootElement;
        var sent = JsonRead.Boolean(root, "sent");
        var id = JsonRead.String(root, "id");
        var jobId = JsonRead.FirstString(root, "jobId", "job_id");
        var message = Redact(JsonRead.String(root, "message"), context);
        var description = Redact(JsonRead.String(root, "description"), context);

        if (sent == true && id is not null)
        {
            return new SendAccepted(id, message, description, status, raw);
        }

        if (jobId is not null)
        {
            return new SendQueued(jobId, message, status, raw);
        }

        if (sent == false)
        {
            return new SendRejected(message ?? Redact(ResponseText.FromObject(root), context), description, status, raw);
        }

        var detail = sent == true ? "sent: true without a message id" : "no sent field";
        return new SendFailed(SendFailureKind.Unknown,
            $"1MSG answered HTTP {status} with {detail}, so whether the message was accepted is unknown.", null, status, raw);
    }

    /// <summary>Which kind of 4xx refusal this is, from 1MSG's text (with our own template name taken out first).</summary>
    internal static SendFailureKind ClassifyRefusal(string? said, SendContext context)
    {
        var text = Normalise(said, context);
        if (Has(text, "132001"))
        {
            return SendFailureKind.TemplateNotFound;
        }

        // 131062: a business-scoped user id where Meta needs a phone number (authentication templates).
        if (Has(text, "131062"))
        {
            return SendFailureKind.InvalidPhone;
        }

        if (Has(text, "132000") || Has(text, "132012") || Has(text, "131008") || Has(text, "131009"))
        {
            return SendFailureKind.ParameterMismatch;
        }

        if (Has(text, "namespace"))
        {
            return SendFailureKind.MissingNamespace;
        }

        if (Has(text, "template") && (Has(text, "not found") || Has(text, "does not exist") || Has(text, "doesn't exist")
            || Has(text, "not exist") || Has(text, "is not defined") || Has(text, "unknown template")))
        {
            // 400 "template is not defined" is what 1MSG says when name, language or namespace is missing; we
            // always send a namespace, so it means the name/language pair is not there.
            return Has(text, "is not defined") && string.IsNullOrWhiteSpace(context.Namespace)
                ? SendFailureKind.MissingNamespace
                : SendFailureKind.TemplateNotFound;
        }

        if (Has(text, "not approved") || Has(text, "paused")
            || (Has(text, "template") && (Has(text, "rejected") || Has(text, "disabled") || Has(text, "pending"))))
        {
            return SendFailureKind.TemplateNotApproved;
        }

        if (Has(text, "parameter") || Has(text, "params"))
        {
            return SendFailureKind.ParameterMismatch;
        }

        if (Has(text, "phone") || Has(text, "chatid") || Has(text, "chat id") || Has(text, "recipient"))
        {
            return SendFailureKind.InvalidPhone;
        }

        return SendFailureKind.InvalidRequest;
    }

    // A template called "phone_otp" must not make "template phone_otp does not exist" look like a phone error.
    private static string Normalise(string? said, SendContext context)
    {
        var text = said ?? "";
        foreach (var own in new[] { context.TemplateName, context.Namespace })
        {
            if (own is { Length: >= 3 })
            {
                text = text.Replace(own, "<name>", StringComparison.OrdinalIgnoreCase);
            }
        }

        return text;
    }

    private static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);

    private static string? Redact(string? text, SendContext context) =>
        text is null ? null : Redactor.Redact(text, context.Token, context.Secrets);
}
