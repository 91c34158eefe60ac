using Microsoft.AspNetCore.Http.HttpResults;
using OtpGate.Server.Api;
using OtpGate.Server.Verifications;
using OtpGate.Verification.Services;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// <c>GET /signup/events</c>: the sign-up page's live status (delivery ticks, attempts, resend countdown, failure) as
/// server-sent events, for the verification in the visitor's own sign-up cookie. No API key: the cookie is the key. A few
/// streams per session and per address at once (<see cref="EventStreamLimits"/>).
/// </summary>
internal static class SignUpEvents
{
    public const string Route = "/signup/events";

    public static RouteHandlerBuilder MapSignUpEvents(this IEndpointRouteBuilder app) =>
        app.MapGet(Route, Stream).ExcludeFromDescription();

    private static Results<ServerSentEventsResult<SignUpStatus>, NotFound, ProblemHttpResult> Stream(
        HttpContext context, SignUpSession session, VerificationWatch watch, EventStreamLimits limits, ServiceCatalog services, TimeProvider time)
    {
        if (session.Read(context.Request) is not { } state)
        {
            return TypedResults.NotFound();
        }

        // One cookie replayed over many connections shares its session's allowance.
        if (limits.TryOpenSignUp(context, state.SessionId) is null)
        {
            return EventStreamLimits.TooMany(context, "sign-up session or address");
        }

        return TypedResults.ServerSentEvents(Project(watch.WatchAsync(state.Owner, state.VerificationId, context.RequestAborted)), eventType: "status");

        async IAsyncEnumerable<SignUpStatus> Project(IAsyncEnumerable<OtpGate.Verification.Verifications.VerificationSnapshot> snapshots)
        {
            await foreach (var snapshot in snapshots)
            {
                // Read per event, as the page reads it per load: a change to the service shows without a reload.
                var settings = await services.CurrentSettingsAsync(state.Owner.Service, context.RequestAborted) ?? ServiceSettings.From(services.Global);
                yield return SignUpStatus.From(snapshot, settings, time.GetUtcNow());
            }
        }
    }
}
