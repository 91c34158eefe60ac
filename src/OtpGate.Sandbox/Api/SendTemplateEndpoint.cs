using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Delivery;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// <c>POST {base}/{channelId}/sendTemplate</c>. Validation order and answers: see
/// <see cref="SendTemplateValidator"/>. After validation: the rate-limit bucket (429), then the
/// reserved scenario numbers, then acceptance.
/// </summary>
internal sealed class SendTemplateEndpoint(
    TokenCheck tokens,
    TemplateCatalog catalog,
    SandboxMessages messages,
    TokenBucket bucket,
    DeliverySimulator delivery,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<SendTemplateEndpoint> logger)
{
    private int _scenario104Requests;

    public static Task<IResult> HandleAsync(HttpContext context, string channelId, SendTemplateEndpoint endpoint) =>
        endpoint.SendAsync(context, channelId);

    private async Task<IResult> SendAsync(HttpContext context, string channelId)
    {
        var body = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);

        // The token may be in the body, so the body is parsed first; but a caller without a valid
        // token learns nothing about the request: a malformed body from it gets 401, not 400.
        var refusal = tokens.Check(context, channelId, body);
        if (refusal is null && body is null)
        {
            refusal = Refusal.MalformedBody;
        }

        if (refusal is null)
        {
            refusal = Recipient.Read(body!.Value, out var recipient);
            if (refusal is null)
            {
                if (recipient.Phone is { } counted)
                {
                    messages.CountRequest(counted);
                }

                refusal = SendTemplateValidator.Validate(body.Value, recipient.Phone ?? "", catalog, options.Value, out var send)
                    ?? RefuseBsuid(recipient, send!);
                if (refusal is null)
                {
                    return await AcceptAsync(context, send!);
                }
            }
        }

        SandboxLog.Refused(logger, refusal.StatusCode, refusal.Text);
        return refusal.ToResult();
    }

    private async Task<IResult> AcceptAsync(HttpContext context, SendRequest send)
    {
        if (!bucket.TryTake())
        {
            return TooManyRequests(context);
        }

        var scenario = Scenarios.For(send.Phone);
        switch (scenario)
        {
            // Twice refused, then accepted: every third request for this number goes through.
            case Scenario.RateLimitedTwice when Interlocked.Increment(ref _scenario104Requests) % 3 != 0:
                return TooManyRequests(context);
            case Scenario.ServerError:
                return Refusal.Error(StatusCodes.Status500InternalServerError, "Internal server error").ToResult();
            case Scenario.NotOptedIn:
                return Refusal.NotSent("Message not sent: the recipient has not opted in to receive messages from this business").ToResult();
            case Scenario.QueuedByChannel:
                delivery.Accept(send, scenario);
                return Refusal.Json(QueuedAnswer.New());
        }

        // Recorded (and delivered) before the answer is held back: the user gets the code even if
        // the caller times out, which is exactly what makes a hang ambiguous. The hold's timer is set before the message
        // is recorded: a test that sees the message and then moves a fake clock must find the timer already running,
        // or the answer would come late by however long this thread took to set it.
        var held = scenario == Scenario.Hangs
            ? Task.Delay(options.Value.HangDuration, timeProvider, lifetime.ApplicationStopping)
            : Task.CompletedTask;
        var message = delivery.Accept(send, scenario);
        await held;

        return Refusal.Json(new JsonObject
        {
            ["sent"] = true,
            ["message"] = $"Sent to {message.ChatId}",
            ["description"] = "Message has been sent to the provider",
            ["id"] = message.Id,
        });
    }

    // Meta sends authentication templates (copy code, one-tap, zero-tap) to phone numbers only. Other templates may go
    // to a BSUID on Meta, but the sandbox's users all have a phone number, so it has nobody to deliver them to.
    private static Refusal? RefuseBsuid(Recipient recipient, SendRequest send) => recipient.Bsuid is null
        ? null
        : Refusal.Message(
            StatusCodes.Status400BadRequest,
            send.Template.IsAuthentication
                ? Recipient.BsuidNotSupported + ": authentication templates need the recipient's phone number"
                : "The sandbox has no users known only by a BSUID: send to the recipient's phone number");

    private static IResult TooManyRequests(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        return Refusal.Error(StatusCodes.Status429TooManyRequests, "Too many requests").ToResult();
    }
}
