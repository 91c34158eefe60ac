using System.Globalization;
using System.Text.Json;
using OtpGate.OneMsg.Json;
using OtpGate.OneMsg.Sending;
using OtpGate.OneMsg.Templates;

namespace OtpGate.OneMsg;

public sealed partial class OneMsgClient
{
    /// <summary>The longest code WhatsApp accepts in an authentication template.</summary>
    public const int MaxCodeLength = 15;

    /// <summary>
    /// Sends <paramref name="code"/> in an authentication template, in the body and in the copy-code button,
    /// exactly as 1MSG's registration-OTP example does (a body-only send is refused with <c>sent: false</c>).
    /// </summary>
    /// <param name="phone">The recipient's number in international form, digits only, country code first (<c>12125550100</c>).</param>
    /// <param name="code">The code: 1 to 15 characters, no white space or control characters.</param>
    /// <param name="template">The approved authentication template (name, namespace, language).</param>
    /// <param name="messageTtlSeconds">How long WhatsApp keeps trying to deliver: 30–900 seconds, or -1; null for Meta's default (10 minutes).</param>
    /// <param name="cancellationToken">Cancels the call; a send cancelled in flight may still go out.</param>
    /// <returns>The outcome; a failed send is a <see cref="SendFailed"/>, not an exception.</returns>
    /// <exception cref="ArgumentException">The code, template or TTL is invalid (the message never quotes the code).</exception>
    public Task<SendResult> SendAuthenticationCodeAsync(
        string phone,
        string code,
        TemplateReference template,
        int? messageTtlSeconds = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(phone);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(template);
        if (ValidateCode(code) is { } codeProblem)
        {
            throw new ArgumentException(codeProblem, nameof(code));
        }

        if (template.Validate() is { } templateProblem)
        {
            throw new ArgumentException(templateProblem, nameof(template));
        }

        if (messageTtlSeconds is { } ttl && ttl != -1 && ttl is < 30 or > 900)
        {
            throw new ArgumentException(
                $"The message TTL for an authentication template must be between 30 and 900 seconds, or -1; it is {ttl}.", nameof(messageTtlSeconds));
        }

        var request = new SendTemplateRequest(template, [TemplateComponent.Body(code), TemplateComponent.UrlButton(0, code)])
        {
            Phone = phone,
            MessageSendTtlSeconds = messageTtlSeconds,
        };
        return SendTemplateAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends a template with the given components. Retried inside the client only when the request surely never
    /// left (connection refused, DNS) or 1MSG answered 429; a timeout or a 5xx is reported as
    /// <see cref="SendFailureKind.Ambiguous"/> and never repeated here, because the message may have gone out.
    /// </summary>
    /// <param name="request">The template, recipient and components.</param>
    /// <param name="cancellationToken">Cancels the call; a send cancelled in flight may still go out.</param>
    /// <returns>The outcome; a failed send is a <see cref="SendFailed"/>, not an exception.</returns>
    /// <exception cref="ArgumentException">The request is incomplete or invalid.</exception>
    public async Task<SendResult> SendTemplateAsync(SendTemplateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(request));
        }

        var secrets = request.Components.SelectMany(c => c.Parameters)
            .SelectMany(p => new[] { p.Text, p.Payload, p.CouponCode }).OfType<string>().ToArray();
        var context = new SendContext(request.Template.Name, request.Template.Namespace, _token, secrets);
        var body = JsonSerializer.SerializeToUtf8Bytes(ToWireName(request), OneMsgJsonContext.Default.SendTemplateWire);

        SendResult result;
        try
        {
            var answer = await ExchangeAsync(HttpMethod.Post, "sendTemplate", null, body, cancellationToken);
            result = SendOutcomeClassifier.FromResponse(answer.Status, answer.Body, answer.RetryAfter, context);
        }
        catch (Exception e) when (Http.TransportFailure.IsTransportFailure(e, cancellationToken))
        {
            result = SendOutcomeClassifier.FromException(e, _options.AttemptTimeout, cancellationToken);
        }

        LogOutcome(request, result, secrets);
        return result;
    }

    /// <summary>Returns why <paramref name="code"/> cannot be sent, or null. The sentence never contains the code.</summary>
    public static string? ValidateCode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return "The code is empty; an authentication code has 1 to 15 characters.";
        }

        if (code.Length > MaxCodeLength)
        {
            return $"The code has {code.Length} characters; WhatsApp accepts at most {MaxCodeLength} in an authentication template.";
        }

        if (code.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return "The code contains white space or a control character; send it as one word, such as digits only.";
        }

        return null;
    }

    private static SendTemplateWire ToWireName(SendTemplateRequest request) => new(
        Phone: request.Phone?.Trim(),
        ChatId: request.Phone is null ? request.ChatId?.Trim() : null,
        Template: request.Template.Name.Trim(),
        Namespace: request.Template.Namespace.Trim(),
        Language: new LanguageWire("deterministic", request.Template.Language.Trim()),
        Params: [.. request.Components.Select(c => new ComponentWire(
            c.Type,
            c.SubType,
            c.Index?.ToString(CultureInfo.InvariantCulture),
            [.. c.Parameters.Select(p => new ParameterWire(p.Type, p.Text, p.Payload, p.CouponCode))]))],
        MessageSendTtlSeconds: request.MessageSendTtlSeconds);

    private void LogOutcome(SendTemplateRequest request, SendResult result, IReadOnlyList<string> secrets)
    {
        var template = request.Template.Name;
        var recipient = RecipientMasking.Mask(request.Phone ?? request.ChatId);
        switch (result)
        {
            case SendAccepted accepted:
                OneMsgLog.SendAccepted(_logger, template, recipient, MessageIdMasking.Fingerprint(accepted.MessageId));
                break;
            case SendQueued queued:
                OneMsgLog.SendQueued(_logger, template, recipient, queued.JobId);
                break;
            case SendRejected rejected:
                OneMsgLog.SendRejected(_logger, template, recipient, Redactor.ForLog(rejected.Message, _token, secrets));
                break;
            case SendFailed failed:
                OneMsgLog.SendFailed(_logger, template, recipient, failed.Kind, failed.HttpStatus, Redactor.ForLog(failed.Message, _token, secrets) ?? "");
                break;
        }
    }
}
