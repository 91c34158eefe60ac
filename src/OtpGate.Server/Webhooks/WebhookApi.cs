using Microsoft.AspNetCore.Http.HttpResults;
using OtpGate.Channels.OneMsg;
using OtpGate.OneMsg.Webhooks;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Delivery;

namespace OtpGate.Server.Webhooks;

/// <summary>
/// <c>POST /webhooks/1msg/{secret}</c>: 1MSG's status callbacks. A wrong secret is a plain 404 before anything is read;
/// the body is capped at 64 KiB, parsed (normalised <c>ack[]</c>, raw <c>statuses[]</c>, <c>hooks[]</c>) and stored
/// durably by the engine before the 200, so a crash after answering loses nothing. Duplicates and disorder are the
/// engine's to absorb; a status never approves a verification.
/// </summary>
internal static class WebhookApi
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string Route = "/webhooks/1msg/{secret}";

    public sealed record WebhookReceipt(int Statuses, int New);

    public static RouteHandlerBuilder MapOneMsgWebhook(this IEndpointRouteBuilder app) =>
        app.MapPost(Route, ReceiveAsync)
            .WithTags("1MSG webhook")
            .WithName("OneMsgWebhook")
            .WithSummary("1MSG delivery-status callbacks (no API key: the path secret authenticates; a wrong one gets 404)")
            .WithDescription("Accepts 1MSG's normalised {instanceId, ack: [...]}, Meta's raw {entry: [{changes: [{value: {statuses: [...]}}]}]} and {hooks: [...]} bodies, "
                + "up to 64 KiB of JSON. Problems: not_found (404), payload_too_large (413), unsupported_media_type (415), invalid_request (400).")
            .Accepts<object>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    private static async Task<Results<Ok<WebhookReceipt>, ProblemHttpResult>> ReceiveAsync(
        string secret, HttpContext context, WebhookSecret expected, DeliveryIntake intake, ILogger<WebhookReceipt> logger, CancellationToken cancellationToken)
    {
        if (!expected.Matches(secret))
        {
            ServerLog.WebhookWrongSecret(logger, context.Connection.RemoteIpAddress?.ToString());
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "Nothing is here.");
        }

        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TooLarge(logger);
        }

        if (!IsJson(context.Request.ContentType))
        {
            ServerLog.WebhookRefused(logger, "content type is not JSON");
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the callback as JSON, with Content-Type: application/json.");
        }

        var body = await ReadCappedAsync(context.Request.Body, cancellationToken);
        if (body is null)
        {
            return TooLarge(logger);
        }

        var parsed = WebhookPayloadParser.Parse(body);
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

    private static ProblemHttpResult TooLarge(ILogger logger)
    {
        ServerLog.WebhookRefused(logger, "body over 64 KiB");
        return ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "Webhook bodies are limited to 64 KiB.");
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Reads the body, or returns null as soon as it passes the limit (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
