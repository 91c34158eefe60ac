using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Events;

/// <summary>Checks the <c>Events</c> section: one sentence per problem, at start-up and in <c>otpgate doctor</c>.</summary>
public sealed class EventOptionsValidator : IValidateOptions<EventOptions>
{
    public ValidateOptionsResult Validate(string? name, EventOptions options)
    {
        var problems = new List<string>();
        foreach (var (id, endpoint) in options.Endpoints)
        {
            if (endpoint.Secret is null)
            {
                problems.Add($"Events:Endpoints:{id}:Secret is required (\"{WebhookSecret.Prefix}\" and base64; `otpgate events endpoints add` makes one).");
            }

            problems.AddRange(EndpointRules.Check(id, endpoint.Url, endpoint.Service, EndpointRules.SplitTypes(endpoint.Types), endpoint.Secret)
                .Select(p => "Events: " + p));
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("Events:Timeout must be more than 0 and at most 5 minutes.");
        }

        if (options.Lease < options.Timeout * 3)
        {
            problems.Add("Events:Lease must be at least 3 times Events:Timeout, so a delivery in flight is never taken over.");
        }

        if (options.MaxConcurrencyPerEndpoint is < 1 or > 64)
        {
            problems.Add("Events:MaxConcurrencyPerEndpoint must be between 1 and 64.");
        }

        if (options.RetrySchedule is { } schedule && schedule.Any(wait => wait <= TimeSpan.Zero))
        {
            problems.Add("Events:RetrySchedule's waits must all be more than 0.");
        }

        if (options.DisableAfter <= TimeSpan.Zero || options.RotationOverlap < TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero || options.Retention < TimeSpan.FromDays(1))
        {
            problems.Add("Events:DisableAfter and Events:PollInterval must be more than 0, Events:RotationOverlap not negative, and Events:Retention at least a day.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
