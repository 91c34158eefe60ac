using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OtpGate.Server.Api;
using OtpGate.Verification.Fraud;

namespace OtpGate.Server.Fraud;

/// <summary>
/// The admin API of the fraud guard (<c>/v1/fraud</c>): the rules in force, and the safe list and block list by prefix
/// or number. Admin keys only. Numbers travel in bodies, never in URLs, and are answered masked.
/// </summary>
internal static class FraudApi
{
    public static RouteGroupBuilder MapFraud(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup("/v1/fraud", "Fraud", "The fraud guard is managed");

        group.MapGet("/", StatusAsync).WithName("FraudStatus").WithSummary("The fraud guard: on or off, and the rules in force (blocks, the guard's with their evidence; allows)");
        group.MapPost("/allow", (FraudTargetRequest body, FraudLists lists, CancellationToken ct) => SetAsync(body, lists.AllowAsync, "allow", ct))
            .WithName("FraudAllow").WithSummary("Put a prefix or a number on the safe list: never refused by the guard")
            .WithDescription("Body: {\"prefix\": \"+1 212\"} or {\"number\": \"+1 212 555 0100\"}. Replaces a block of it. Problems: invalid_request (400).");
        group.MapPost("/block", (FraudTargetRequest body, FraudLists lists, CancellationToken ct) => SetAsync(body, lists.BlockAsync, "block", ct))
            .WithName("FraudBlock").WithSummary("Put a prefix or a number on the block list until it is unblocked")
            .WithDescription("Body as for allow. Replaces an allow of it. Problems: invalid_request (400).");
        group.MapPost("/unblock", (FraudTargetRequest body, FraudLists lists, CancellationToken ct) => RemoveAsync(body, lists.UnblockAsync, "blocked", ct))
            .WithName("FraudUnblock").WithSummary("Lift a block, the operator's or the guard's")
            .WithDescription("204. Problems: invalid_request (400), not_found (404: it is not blocked).");
        group.MapPost("/unallow", (FraudTargetRequest body, FraudLists lists, CancellationToken ct) => RemoveAsync(body, lists.DisallowAsync, "on the safe list", ct))
            .WithName("FraudUnallow").WithSummary("Take a prefix or a number off the safe list")
            .WithDescription("204. Problems: invalid_request (400), not_found (404: it is not on the safe list).");
        return group;
    }

    private static async Task<Ok<FraudStatusResponse>> StatusAsync(FraudLists lists, IOptions<FraudOptions> options, CancellationToken cancellationToken) =>
        TypedResults.Ok(new FraudStatusResponse(options.Value.Enabled, [.. (await lists.ListAsync(cancellationToken)).Select(FraudRuleResponse.From)]));

    private static async Task<Results<Ok<FraudRuleResponse>, ProblemHttpResult>> SetAsync(
        FraudTargetRequest body, Func<FraudTarget, CancellationToken, Task> set, string kind, CancellationToken cancellationToken)
    {
        var (target, error) = FraudTarget.Parse(body.Prefix, body.Number);
        if (target is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        await set(target, cancellationToken);
        return TypedResults.Ok(new FraudRuleResponse(target.Display, kind, "operator", null, null));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        FraudTargetRequest body, Func<FraudTarget, CancellationToken, Task<bool>> remove, string what, CancellationToken cancellationToken)
    {
        var (target, error) = FraudTarget.Parse(body.Prefix, body.Number);
        if (target is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", error!);
        }

        return await remove(target, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", $"{target.Display} is not {what}.");
    }
}

/// <summary>What allow, block, unblock and unallow name: a prefix, or a number.</summary>
internal sealed record FraudTargetRequest(string? Prefix, string? Number);

internal sealed record FraudStatusResponse(bool Enabled, FraudRuleResponse[] Rules);

/// <summary>A rule in force; a number is shown masked.</summary>
internal sealed record FraudRuleResponse(string Target, string Kind, string Source, DateTimeOffset? Until, string? Evidence)
{
    public static FraudRuleResponse From(FraudRule rule) => new(rule.Target.Display, rule.Kind, rule.Source, rule.Until, rule.Evidence);
}
