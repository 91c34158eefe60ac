using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OtpGate.Server.Api;
using OtpGate.Verification.Events;
using OtpGate.Verification.Services;

namespace OtpGate.Server.Events;

/// <summary>
/// The admin API for events (<c>/v1/events</c>): endpoints (<c>/v1/events/endpoints</c>: list, add, show, remove,
/// rotate the secret, enable again) and, in <see cref="EventsHistoryApi"/>, events, attempts and replay. Admin keys
/// only (<c>Api:AdminKeys</c>), like <c>/v1/services</c>; a secret is answered only when it is made or set (add,
/// rotate), never listed.
/// </summary>
internal static class EventsApi
{
    public static RouteGroupBuilder MapEvents(this IEndpointRouteBuilder app)
    {
        var events = app.MapAdminGroup("/v1/events", "Events", "Event endpoints are managed");
        events.MapEventHistory();

        var group = events.MapGroup("/endpoints");
        group.MapGet("/", ListAsync).WithName("ListEventEndpoints").WithSummary("List the event endpoints (never their secrets)");
        group.MapPost("/", AddAsync).WithName("AddEventEndpoint").WithSummary("Add an event endpoint")
            .WithDescription("201 with the endpoint and its secret (generated unless given; shown only here). Problems: invalid_request (400), endpoint_exists (409).");
        group.MapGet("/{id}", ShowAsync).WithName("GetEventEndpoint").WithSummary("Read an event endpoint").WithDescription("Problems: not_found (404).");
        group.MapDelete("/{id}", RemoveAsync).WithName("RemoveEventEndpoint").WithSummary("Remove an event endpoint and its deliveries still to be made")
            .WithDescription("204. Problems: not_found (404), endpoint_configured (409: declared in Events:Endpoints).");
        group.MapPost("/{id}/rotate-secret", RotateAsync).WithName("RotateEventEndpointSecret")
            .WithSummary("Give an endpoint a new secret; the previous one also signs for Events:RotationOverlap")
            .WithDescription("200 with the new secret. Problems: invalid_request (400), not_found (404), endpoint_configured (409).");
        group.MapPost("/{id}/enable", EnableAsync).WithName("EnableEventEndpoint")
            .WithSummary("Enable an endpoint disabled after a 410 or days of failures; its open deliveries resume").WithDescription("Problems: not_found (404).");
        return events;
    }

    private static async Task<Ok<EndpointResponse[]>> ListAsync(EventEndpoints endpoints, CancellationToken cancellationToken) =>
        TypedResults.Ok((await endpoints.ListAsync(cancellationToken)).Select(e => EndpointResponse.From(e)).ToArray());

    private static async Task<Results<Created<EndpointResponse>, ProblemHttpResult>> AddAsync(
        AddEndpointRequest body, EventEndpoints endpoints, ServiceCatalog services, CancellationToken cancellationToken)
    {
        if (body.Service is { } service && Service.IsValidId(service) && await services.FindAsync(service, cancellationToken) is null)
        {
            return Invalid($"No service is named \"{service}\".");
        }

        var change = await endpoints.AddAsync(body.Id ?? "", body.Url ?? "", body.Service, body.Types, body.Secret, cancellationToken);
        return change.Outcome switch
        {
            EndpointOutcome.Done => TypedResults.Created($"/v1/events/endpoints/{change.Endpoint!.Id}", EndpointResponse.From(change.Endpoint, change.Secret)),
            EndpointOutcome.Exists => ApiProblems.Problem(StatusCodes.Status409Conflict, "endpoint_exists", "An endpoint with this id exists already."),
            _ => Invalid(string.Join(" ", change.Problems ?? [])),
        };
    }

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> ShowAsync(string id, EventEndpoints endpoints, CancellationToken cancellationToken) =>
        (await endpoints.ListAsync(cancellationToken)).FirstOrDefault(e => e.Id == id) is { } endpoint ? TypedResults.Ok(EndpointResponse.From(endpoint)) : NotFound();

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string id, EventEndpoints endpoints, CancellationToken cancellationToken) =>
        Answer(await endpoints.RemoveAsync(id, cancellationToken)) is { } problem ? problem : TypedResults.NoContent();

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> RotateAsync(
        string id, RotateSecretRequest? body, EventEndpoints endpoints, CancellationToken cancellationToken)
    {
        var change = await endpoints.RotateSecretAsync(id, body?.Secret, cancellationToken);
        return Answer(change) is { } problem ? problem : TypedResults.Ok(EndpointResponse.From(change.Endpoint!, change.Secret));
    }

    private static async Task<Results<Ok<EndpointResponse>, ProblemHttpResult>> EnableAsync(string id, EventEndpoints endpoints, CancellationToken cancellationToken)
    {
        var change = await endpoints.EnableAsync(id, cancellationToken);
        return Answer(change) is { } problem ? problem : TypedResults.Ok(EndpointResponse.From(change.Endpoint!));
    }

    /// <summary>The problem for a change that was not made; null when it was.</summary>
    private static ProblemHttpResult? Answer(EndpointChange change) => change.Outcome switch
    {
        EndpointOutcome.Done => null,
        EndpointOutcome.NotFound => NotFound(),
        EndpointOutcome.Configured => ApiProblems.Problem(StatusCodes.Status409Conflict, "endpoint_configured",
            "This endpoint is declared in configuration (Events:Endpoints); change it there."),
        _ => Invalid(string.Join(" ", change.Problems ?? [])),
    };

    private static ProblemHttpResult Invalid(string detail) => ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", detail);

    private static ProblemHttpResult NotFound() => ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "No event endpoint has this id.");
}

/// <summary><c>POST /v1/events/endpoints</c>: the id, the URL, the service (every service when left out), the event types (every type when left out), the secret (generated when left out).</summary>
internal sealed record AddEndpointRequest(string? Id, string? Url, string? Service, IReadOnlyList<string>? Types, string? Secret);

/// <summary><c>POST /v1/events/endpoints/{id}/rotate-secret</c>: the new secret, generated when left out.</summary>
internal sealed record RotateSecretRequest(string? Secret);

/// <summary>An endpoint; <c>secret</c> only in the answer that made or set it.</summary>
internal sealed record EndpointResponse(
    string Id, string Url, string? Service, IReadOnlyList<string>? Types, string State, string? DisabledReason, DateTimeOffset? FailingSince,
    string Source, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretUntil, string? Secret)
{
    public static EndpointResponse From(EventEndpoint e, string? secret = null) =>
        new(e.Id, e.Url, e.Service, e.Types, e.State, e.DisabledReason, e.FailingSince, e.Source, e.CreatedAt, e.UpdatedAt, e.PreviousSecretUntil, secret);
}
