using Microsoft.AspNetCore.Http.HttpResults;
using OtpGate.Channels.OneMsg;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Delivery;

namespace OtpGate.Server.Webhooks;

/// <summary>
/// <c>POST /webhooks/1msg/{secret}</c>: 1MSG's status callbacks. A wrong secret is a plain 404 before anything is read;
/// the body is parsed as JSON straight from the request stream, whatever its Content-Type (1MSG documents none for its
/// callbacks), up to <c>OneMsg:WebhookMaxBodyMegabytes</c> (normalised <c>ack[]</c>, raw <c>statuses[]</c>,
/// <c>hooks[]</c>), and stored durably by the engine before the 200, so a crash after answering loses nothing.
/// Duplicates and disorder are the engine's to absorb; a status never approves a verification.
/// </summary>
internal static class WebhookApi
{
    public const string Route = "/webhooks/1msg/{secret}";

    public sealed record WebhookReceipt(int Statuses, int New);

    public static RouteHandlerBuilder MapOneMsgWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, ReceiveAsync)
            .WithTags("1MSG webhook")
            .WithName("OneMsgWebhook")
            .WithSummary("1MSG delivery-status callbacks (no API key: the path secret authenticates; a wrong one gets 404)")
            .WithDescription("Accepts 1MSG's normalised {instanceId, ack: [...]}, Meta's raw {entry: [{changes: [{value: {statuses: [...]}}]}]} and {hooks: [...]} bodies "
                + "as JSON under any Content-Type (or none), up to OneMsg:WebhookMaxBodyMegabytes (4 MB by default). "
                + "Problems: not_found (404), payload_too_large (413), invalid_request (400).")
            // Any media type ("*/*"): with only JSON listed, routing itself would answer other types 415.
            .Accepts<object>("application/json", "*/*")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        string secret, HttpContext context, WebhookSecret expected, IOptions<WebhookOptions> options, DeliveryIntake intake,
        ILogger<WebhookReceipt> logger, CancellationToken cancellationToken)
    {
        if (!expected.Matches(secret))
        {
            ServerLog.WebhookWrongSecret(logger, context.Connection.RemoteIpAddress?.ToString());
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "Nothing is here.");
        }

        var megabytes = options.Value.WebhookMaxBodyMegabytes;
        if (context.Request.ContentLength > options.Value.WebhookMaxBodyBytes)
        {
            return TooLarge(logger, megabytes);
        }

        // No Content-Type check: 1MSG documents none for its callbacks, and a 415 would drop every status in the body
        // (and, repeated, get the webhook disabled). Whatever the header says, the body must parse as JSON.
        var parsed = await WebhookPayloadParser.ParseAsync(context.Request.Body, options.Value.WebhookMaxBodyBytes, cancellationToken);
        if (parsed.IsTooLarge)
        {
            return TooLarge(logger, megabytes);
        }

        if (parsed.IsOtherEvent)
        {
            // Another kind of 1MSG event (e.g. calls) on the same URL: acknowledged, or 1MSG would retry it and may disable the webhook.
            ServerLog.WebhookRefused(logger, "not a status or message callback; acknowledged and ignored");
            return TypedResults.Ok(new WebhookReceipt(0, 0));
        }

        if (!parsed.IsSuccess)
        {
            ServerLog.WebhookRefused(logger, parsed.Error!);
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", parsed.Error!);
        }

        var fresh = await intake.IngestAsync(DeliveryNewsTranslation.From(parsed.Statuses), cancellationToken);
        ServerLog.WebhookReceived(logger, parsed.Statuses.Count, fresh, parsed.Skipped);
        return TypedResults.Ok(new WebhookReceipt(parsed.Statuses.Count, fresh));
    }

    private static ProblemHttpResult TooLarge(ILogger logger, int megabytes)
    {
        ServerLog.WebhookRefused(logger, $"body over the {megabytes} MB cap (OneMsg:WebhookMaxBodyMegabytes)");
        return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large",
            $"Webhook bodies are limited to {megabytes} MB ({megabytes * 1_000_000L} bytes; OneMsg:WebhookMaxBodyMegabytes).");
    }
}
