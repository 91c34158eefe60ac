using OtpGate.Cli.Output;
using OtpGate.OneMsg.Sending;

namespace OtpGate.Cli.Sending;

/// <summary>
/// What <c>otpgate send</c> reports, text or JSON: the outcome word (<c>accepted</c>, <c>queued</c>,
/// <c>rejected</c>, <c>failed</c>), 1MSG's own answer, and the explanation in plain words.
/// </summary>
internal sealed record SendReport(
    string Outcome,
    bool Sent,
    string Phone,
    TemplateJson Template,
    int TtlSeconds)
{
    public string? MessageId { get; init; }

    public string? JobId { get; init; }

    /// <summary>The code, only when the command generated it (the person running it needs to know it).</summary>
    public string? Code { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>For <c>failed</c>: how, e.g. <c>ambiguous</c>, <c>unauthorized</c>, <c>missingNamespace</c>.</summary>
    public SendFailureKind? FailureKind { get; init; }

    /// <summary>What 1MSG said (its <c>message</c>, or the client's sentence for a failure).</summary>
    public string? Message { get; init; }

    public string? Explanation { get; init; }

    /// <summary>1MSG's raw answer (redacted by the client: never the token or the code).</summary>
    public string? Response { get; init; }

    public DeliveryReport? Delivery { get; init; }

    public static SendReport From(SendRequest request, SendResult result)
    {
        var template = new TemplateJson(request.Template.Name, request.Template.Namespace, request.Template.Language);
        var report = new SendReport("failed", false, request.Phone.E164, template, request.TtlSeconds)
        {
            Code = request.Generated ? request.Code : null,
            HttpStatus = result.HttpStatus,
            Response = result.RawBody,
        };

        return result switch
        {
            SendAccepted accepted => report with { Outcome = "accepted", Sent = true, MessageId = accepted.MessageId, Message = accepted.Message, Response = null },
            SendQueued queued => report with { Outcome = "queued", JobId = queued.JobId, Message = queued.Message, Response = null },
            SendRejected rejected => report with { Outcome = "rejected", Message = rejected.Message, Explanation = ExplainRejection(rejected.Message) },
            SendFailed failed => report with { FailureKind = failed.Kind, Message = failed.Message, Explanation = ExplainFailure(failed, request) },
            _ => report with { Message = "1MSG answered something this command does not understand." },
        };
    }

    /// <summary>The one sentence printed to standard error when the message did not go out.</summary>
    public string Sentence() => Outcome == "rejected"
        ? $"1MSG did not send the message (HTTP {HttpStatus}, sent: false): {Message?.TrimEnd('.')}. {Explanation}"
        : $"{Message} {Explanation}".Trim();

    private static string ExplainRejection(string? message)
    {
        var text = message ?? "";
        if (text.Contains("opt", StringComparison.OrdinalIgnoreCase))
        {
            return "The recipient has not agreed to receive WhatsApp messages from your business, and WhatsApp delivers templates only to people who have; nothing was sent.";
        }

        if (text.Contains("button", StringComparison.OrdinalIgnoreCase) || text.Contains("param", StringComparison.OrdinalIgnoreCase))
        {
            return "An authentication template needs the code both in the body and in the copy-code button; nothing was sent.";
        }

        return "1MSG took the request but will not deliver this message; run with --json to see its whole answer.";
    }

    private static string ExplainFailure(SendFailed failed, SendRequest request) => failed.Kind switch
    {
        SendFailureKind.Ambiguous =>
            "The outcome is unclear: check the phone or `otpgate hook-info` before sending again, or the user may receive two codes.",
        SendFailureKind.MissingNamespace => "Set OneMsg:Template:Namespace to the namespace `otpgate templates` lists for this template.",
        SendFailureKind.TemplateNotFound =>
            $"The channel has no template {request.Template.Name} in language {request.Template.Language}; `otpgate templates` lists the ones it has.",
        SendFailureKind.TemplateNotApproved => "WhatsApp sends approved templates only; `otpgate templates` shows the template's status.",
        SendFailureKind.ParameterMismatch =>
            "The template's variables do not match what OtpGate sends (one body variable and the copy-code button); check it with `otpgate templates`.",
        SendFailureKind.InvalidPhone => "1MSG refused the phone number; check that it is a WhatsApp number in international format.",
        SendFailureKind.RateLimited => failed.RetryAfter is { } after
            ? $"Wait {Durations.Format(after)} before trying again."
            : "Wait a little before trying again.",
        SendFailureKind.Transient => "Nothing was sent; check OneMsg:BaseUrl and the network.",
        _ => "",
    };
}

internal sealed record TemplateJson(string Name, string Namespace, string Language);
