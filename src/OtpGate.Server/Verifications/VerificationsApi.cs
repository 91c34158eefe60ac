using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OtpGate.Server.Api;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.Verifications;

/// <summary>The integrators' API (docs/architecture.md, "The HTTP API"): start, read, check, resend, cancel, and live events.</summary>
internal static class VerificationsApi
{
    /// <summary>Request bodies are a few hundred bytes; 16 KiB leaves room for metadata and nothing more.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapVerifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/verifications")
            .WithTags("Verifications")
            .RequireAuthorization(ApiKeyAuthenticationHandler.PolicyName)
            .RequireRateLimiting(RateLimits.ApiPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AddEndpointFilter(RefuseAdminKeys)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // storage_unavailable, with Retry-After: the database cannot take writes now (see ApiProblems.StorageUnavailable).
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        group.MapPost("/", StartAsync)
            .WithName("StartVerification")
            .WithSummary("Start a verification: send a code to a phone on WhatsApp (or by SMS with channel \"sms\")")
            .WithDescription("201 with a new verification, or 200 with this API key's pending one for this phone and purpose (resent when its cooldown allows). "
                + "channel \"sms\" sends the code by SMS from the start; with no SMS channel configured it is channel_unavailable (400). "
                + "An Idempotency-Key header returns the same verification for 24 hours to the same API key and the same request. Problems: invalid_phone and "
                + "invalid_request (400), country_not_allowed and fraud_suspected (403: the fraud guard refused; the detail is the same whatever the rule), "
                + "idempotency_key_reused (422: the key came with a different request), rate_limited (429, Retry-After), "
                + "spend_cap_reached (429, Retry-After until the cap's day or month ends; limit names the cap: service_daily, service_monthly, overall_daily, overall_monthly).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/{id}", GetAsync)
            .WithName("GetVerification")
            .WithSummary("Read a verification: status, expiry, attempts left, resend availability and the delivery timeline")
            .WithDescription("Problems: not_found (404).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/check", CheckAsync)
            .WithName("CheckVerification")
            .WithSummary("Check the code the user typed")
            .WithDescription("200 with status approved. Spaces, dashes and non-ASCII digits in the code are ignored or read as digits; anything that "
                + "cannot be a code is invalid_request (400) and costs no attempt. Problems: wrong_code (422, attemptsLeft), expired, max_attempts_reached, "
                + "canceled, failed (410), already_approved (409), rate_limited (429, Retry-After: limit phone_failed_checks_24h, too many wrong codes for "
                + "this phone, where a new code's first try still counts; or failed_checks_delay, a growing wait between wrong codes), invalid_request (400), not_found (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{id}/resend", ResendAsync)
            .WithName("ResendVerification")
            .WithSummary("Send the code again (the same code while 2 minutes of its lifetime remain, else a new one); {\"channel\": \"sms\"} sends it by SMS")
            .WithDescription("202. An optional body {\"channel\": \"sms\"} sends the code by SMS now (the fallback cause user_request; the first SMS does not wait "
                + "out the cooldown, and SMS count in the phone's SMS cap, limit phone_sms_24h). Problems: cooldown (429, Retry-After), rate_limited (429, Retry-After), spend_cap_reached (429, Retry-After), "
                + "channel_unavailable (400: no SMS channel, or the service's Sms:Fallback is off), invalid_request (400), expired, max_attempts_reached, canceled, failed (410), "
                + "already_approved (409), not_found (404).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/{id}/cancel", CancelAsync)
            .WithName("CancelVerification")
            .WithSummary("Cancel a pending verification")
            .WithDescription("200. Problems: expired, max_attempts_reached, canceled, failed (410), already_approved (409), not_found (404).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status410Gone);
        group.MapGet("/{id}/events", EventsAsync)
            .WithName("VerificationEvents")
            .WithSummary("Server-sent events: the verification each time it changes (delivery sent, delivered, read, failed; checks; end)")
            .WithDescription("text/event-stream of events named \"verification\" whose data is the verification as GET returns it. "
                + "The first event comes at once; the stream ends after a terminal status. Problems: not_found (404), "
                + "too_many_streams (429, Retry-After: the API key has Api:EventStreams:PerKey streams open).")
            .Produces<VerificationResponse>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Results<Created<VerificationResponse>, Ok<VerificationResponse>, ProblemHttpResult>> StartAsync(
        StartVerificationRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        HttpContext context,
        VerificationService verifications,
        CancellationToken cancellationToken)
    {
        var request = new StartRequest(body.Phone, body.Purpose, body.Locale, body.ClientRef, body.ClientIp, idempotencyKey, body.Metadata, Channel: body.Channel);
        var result = await verifications.StartAsync(Owner(context), request, cancellationToken);
        if (result.Refusal is { } refusal)
        {
            return ApiProblems.From(refusal, context);
        }

        var response = VerificationResponse.From(result.Verification!);
        return result.Created ? TypedResults.Created($"/v1/verifications/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, VerificationService verifications, CancellationToken cancellationToken) =>
        await verifications.GetAsync(Owner(context), id, cancellationToken) is { } snapshot
            ? TypedResults.Ok(VerificationResponse.From(snapshot))
            : NotFound();

    private static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> CheckAsync(
        string id, CheckVerificationRequest body, HttpContext context, VerificationService verifications, CancellationToken cancellationToken) =>
        Answer(await verifications.CheckAsync(Owner(context), id, body.Code, cancellationToken), context, TypedResults.Ok);

    private static async Task<Results<Accepted<VerificationResponse>, ProblemHttpResult>> ResendAsync(
        string id, ResendVerificationRequest? body, HttpContext context, VerificationService verifications, CancellationToken cancellationToken) =>
        Answer(await verifications.ResendAsync(Owner(context), id, cancellationToken, body?.Channel), context, v => TypedResults.Accepted($"/v1/verifications/{v.Id}", v));

    private static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> CancelAsync(
        string id, HttpContext context, VerificationService verifications, CancellationToken cancellationToken) =>
        Answer(await verifications.CancelAsync(Owner(context), id, cancellationToken), context, TypedResults.Ok);

    private static async Task<Results<ServerSentEventsResult<VerificationResponse>, ProblemHttpResult>> EventsAsync(
        string id, HttpContext context, VerificationService verifications, VerificationWatch watch, EventStreamLimits limits, CancellationToken cancellationToken)
    {
        var owner = Owner(context);
        if (await verifications.GetAsync(owner, id, cancellationToken) is null)
        {
            return NotFound();
        }

        if (limits.TryOpenApi(context, context.User.Identity?.Name ?? "") is null)
        {
            return EventStreamLimits.TooMany(context, "API key");
        }

        return TypedResults.ServerSentEvents(Project(watch.WatchAsync(owner, id, cancellationToken)), eventType: "verification");

        static async IAsyncEnumerable<VerificationResponse> Project(IAsyncEnumerable<VerificationSnapshot> snapshots)
        {
            await foreach (var snapshot in snapshots)
            {
                yield return VerificationResponse.From(snapshot);
            }
        }
    }

    private static Results<TOk, ProblemHttpResult> Answer<TOk>(OperationResult result, HttpContext context, Func<VerificationResponse, TOk> ok)
        where TOk : IResult =>
        result.Refusal is { } refusal ? ApiProblems.From(refusal, context) : ok(VerificationResponse.From(result.Verification!));

    /// <summary>
    /// Verifications belong to the API key that started them, within the key's service: another key gets the answer of
    /// an id that does not exist (404), and its starts for the same phone get verifications of their own.
    /// </summary>
    private static VerificationOwner Owner(HttpContext context) =>
        VerificationOwner.ApiKey(
            context.User.Identity?.Name ?? throw new InvalidOperationException("The API endpoints require an authenticated API key."),
            context.User.FindFirst(ApiKeyAuthenticationHandler.ServiceClaim)?.Value ?? throw new InvalidOperationException("Admin keys are refused before this."));

    /// <summary>An admin key manages services and has none of its own to start verifications in: 403, saying which key to use.</summary>
    private static async ValueTask<object?> RefuseAdminKeys(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        invocation.HttpContext.User.Identity?.IsAuthenticated == true && invocation.HttpContext.User.FindFirst(ApiKeyAuthenticationHandler.ServiceClaim) is null
            ? ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Admin keys manage services; start and read verifications with a key of a service (Api:Keys or Api:ServiceKeys).")
            : await next(invocation);

    private static ProblemHttpResult NotFound() =>
        ApiProblems.From(new Refused(Refusal.NotFound, "No verification has this id."), null);
}
