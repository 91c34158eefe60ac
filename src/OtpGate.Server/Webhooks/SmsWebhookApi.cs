using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OtpGate.Channels.Sms;
using OtpGate.Channels.Sms.Twilio;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Delivery;

namespace OtpGate.Server.Webhooks;

/// <summary>
/// <c>POST /webhooks/sms/twilio</c>: Twilio's SMS status callbacks, form-encoded. Each must carry the
/// <c>X-Twilio-Signature</c> Twilio computes over the URL it was given as <c>StatusCallback</c> (the one the SMS channel
/// sends, <see cref="SmsStatusCallbackUrl"/>) and the form, keyed with the account's auth token: a missing or wrong one
/// is 403 before anything is stored or read from storage. A signed callback's status is stored durably by the engine
/// (once per message and status: a replay changes nothing) before the 204.
/// </summary>
internal static partial class SmsWebhookApi
{
    public const string Route = SmsStatusCallbackUrl.Path;

    private static readonly FormOptions FormLimits = new() { ValueCountLimit = 100, ValueLengthLimit = 16 * 1024, KeyLengthLimit = 256, BufferBodyLengthLimit = 64 * 1024 };

    public static RouteHandlerBuilder MapSmsWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, ReceiveAsync)
            .WithTags("SMS status callbacks")
            .WithName("TwilioSmsStatusCallback")
            .WithSummary("Twilio's SMS status callbacks (no API key: the X-Twilio-Signature authenticates; a missing or wrong one gets 403)")
            .WithDescription("Form-encoded MessageSid, MessageStatus (queued, sent, delivered, undelivered, failed, read) and ErrorCode, as Twilio posts them "
                + "to the StatusCallback of each SMS the server sent. Problems: forbidden (403), invalid_request (400), not_found (404: no SMS channel).")
            // Any media type ("*/*"): routing would answer 415 itself before the signature is checked.
            .Accepts<object>("application/x-www-form-urlencoded", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<Results<NoContent, ProblemHttpResult>> ReceiveAsync(
        HttpContext context, SmsMode mode, IOptions<SmsOptions> options, SmsStatusCallbackUrl callbackUrl, DeliveryIntake intake,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(SmsWebhookApi));
        if (!mode.IsOn)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "No SMS channel is configured on this server.");
        }

        var signature = context.Request.Headers[TwilioRequestSignature.HeaderName].ToString();
        if (signature.Length == 0)
        {
            return Forbidden(logger, context, "no X-Twilio-Signature");
        }

        if (!context.Request.HasFormContentType)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", "A status callback is form-encoded (application/x-www-form-urlencoded).");
        }

        IFormCollection form;
        try
        {
            // Twilio's callbacks are a dozen short fields: anything much bigger is not one.
            form = await context.Request.ReadFormAsync(FormLimits, cancellationToken);
        }
        catch (InvalidDataException)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", "A status callback is a few short form fields; this body is over the limits.");
        }

        var fields = form.SelectMany(f => f.Value.Select(v => KeyValuePair.Create(f.Key, v ?? ""))).ToList();
        if (callbackUrl.Value is not { } url || !TwilioRequestSignature.IsValid(options.Value.Twilio.AuthToken, url, fields, signature))
        {
            return Forbidden(logger, context, "a signature that is not Twilio's for this URL and form");
        }

        if (TwilioDeliveryNews.ReadCallback(fields) is not { } callback)
        {
            Refused(logger, "no MessageSid or MessageStatus");
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", "A status callback needs MessageSid and MessageStatus.");
        }

        // Steps before sending (queued, sending, accepted) are acknowledged and not stored: they move nothing.
        var fresh = callback.ToNews(time.GetUtcNow()) is { } news ? await intake.IngestAsync([news], cancellationToken) : 0;
        Received(logger, callback.MessageSid, callback.Status, callback.ErrorCode, fresh);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult Forbidden(ILogger logger, HttpContext context, string why)
    {
        SignatureRefused(logger, why, context.Connection.RemoteIpAddress?.ToString());
        return ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "The request is not signed by Twilio for this URL (X-Twilio-Signature).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS status callback: {MessageSid} {Status} (error code {ErrorCode}), {Fresh} new")]
    private static partial void Received(ILogger logger, string messageSid, string status, int? errorCode, int fresh);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS status callback refused: {Why}, from {RemoteIp}")]
    private static partial void SignatureRefused(ILogger logger, string why, string? remoteIp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS status callback refused: {Why}")]
    private static partial void Refused(ILogger logger, string why);
}
