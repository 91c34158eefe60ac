using Microsoft.AspNetCore.Http.HttpResults;
using OtpGate.Server.Api;
using OtpGate.Verification.Events;

namespace OtpGate.Server.Events;

/// <summary>
/// Seeing and replaying events, admin keys only: <c>GET /v1/events</c> (with their deliveries),
/// <c>GET /v1/events/{eventId}/attempts</c>, <c>GET /v1/events/endpoints/{id}/attempts</c>, <c>POST /v1/events/replay</c>.
/// </summary>
internal static class EventsHistoryApi
{
    public static void MapEventHistory(this RouteGroupBuilder events)
    {
        events.MapGet("/", ListAsync).WithName("ListEvents").WithSummary("The latest events (of one verification with ?verificationId=), newest first, with their deliveries");
        events.MapGet("/{eventId}/attempts", EventAttemptsAsync).WithName("ListEventAttempts").WithSummary("An event's delivery attempts, newest first (none for an unknown id)");
        events.MapGet("/endpoints/{id}/attempts", EndpointAttemptsAsync).WithName("ListEndpointAttempts").WithSummary("The latest delivery attempts to an endpoint, newest first").WithDescription("Problems: not_found (404).");
        events.MapGet("/stream", Follow).WithName("FollowEvents")
            .WithSummary("Every event raised from now on, as text/event-stream (events named \"event\", data {eventId, payload}): what `otpgate events listen` forwards")
            .Produces<StreamedEvent>(StatusCodes.Status200OK, "text/event-stream");
        events.MapPost("/replay", ReplayAsync).WithName("ReplayEvents")
            .WithSummary("Deliver again one event (eventId) or every event since a time (since), to every endpoint that wants it or to one (endpoint)")
            .WithDescription("200 {queued}: the deliveries queued, with the same webhook-id. Problems: invalid_request (400: neither eventId nor since).");
    }

    private static ServerSentEventsResult<StreamedEvent> Follow(EventHistory history, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(history.FollowAsync(TimeSpan.FromMilliseconds(250), cancellationToken), eventType: "event");

    private static async Task<Ok<EventSummary[]>> ListAsync(string? verificationId, int? limit, EventHistory history, CancellationToken cancellationToken) =>
        TypedResults.Ok((await history.ListAsync(verificationId, limit ?? 50, cancellationToken)).ToArray());

    // An unknown id and an event not attempted yet both have no attempt: an empty list.
    private static async Task<Ok<EventAttempt[]>> EventAttemptsAsync(string eventId, int? limit, EventHistory history, CancellationToken cancellationToken) =>
        TypedResults.Ok((await history.AttemptsAsync(eventId, null, limit ?? 100, cancellationToken)).ToArray());

    private static async Task<Results<Ok<EventAttempt[]>, ProblemHttpResult>> EndpointAttemptsAsync(
        string id, int? limit, EventHistory history, EventEndpoints endpoints, CancellationToken cancellationToken) =>
        (await endpoints.ListAsync(cancellationToken)).Any(e => e.Id == id)
            ? TypedResults.Ok((await history.AttemptsAsync(null, id, limit ?? 100, cancellationToken)).ToArray())
            : ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "No event endpoint has this id.");

    private static async Task<Results<Ok<ReplayResponse>, ProblemHttpResult>> ReplayAsync(ReplayRequest body, EventHistory history, CancellationToken cancellationToken)
    {
        if ((body.EventId is null) == (body.Since is null))
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", "Give either eventId (one event's webhook-id) or since (a time, e.g. 2026-12-01T10:00:00Z), not both.");
        }

        return TypedResults.Ok(new ReplayResponse(await history.ReplayAsync(body.EventId, body.Since, body.Endpoint, cancellationToken)));
    }
}

/// <summary><c>POST /v1/events/replay</c>: one event by its webhook-id, or every event since a time; to one endpoint, or all that want it.</summary>
internal sealed record ReplayRequest(string? EventId, DateTimeOffset? Since, string? Endpoint);

/// <summary>How many deliveries were queued again.</summary>
internal sealed record ReplayResponse(int Queued);
