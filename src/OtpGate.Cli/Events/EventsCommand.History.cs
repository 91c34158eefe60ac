using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OtpGate.Cli.Verify;

namespace OtpGate.Cli.Events;

/// <summary><c>otpgate events list|attempts|replay</c>: seeing what was delivered where, and delivering again.</summary>
internal static partial class EventsCommand
{
    private static Command ListEvents(CommandRuntime runtime, AdminConnection shared)
    {
        var verification = new Option<string?>("--verification") { Description = "Only this verification's events.", HelpName = "id" };
        var limit = new Option<int?>("--limit") { Description = "How many, newest first (default 50, at most 500).", HelpName = "n" };
        var list = new Command("list", "The latest events, newest first, each with where it stands at each endpoint.") { verification, limit };
        runtime.SetAction(list, (context, ct) => RunAsync(context, shared, (api, t) =>
            api.GetAsync($"/v1/events?limit={context.Parse.GetValue(limit) ?? 50}" + (context.Parse.GetValue(verification) is { } id ? "&verificationId=" + Uri.EscapeDataString(id) : ""), t),
            "Events:", ct, (c, e) =>
            {
                c.Out.WriteLine($"  {e["eventId"]}  {e["type"]}  {e["verificationId"]}  {e["createdAt"]}");
                foreach (var delivery in e["deliveries"]?.AsArray().OfType<JsonObject>() ?? [])
                {
                    c.Out.WriteLine($"    {delivery["endpoint"]}: {delivery["state"]} after {delivery["tries"]} tries{(delivery["lastStatus"] is { } status ? $", last answer {status}" : "")}{(delivery["lastError"] is { } error ? $", {error}" : "")}");
                }
            }));
        return list;
    }

    private static Command Attempts(CommandRuntime runtime, AdminConnection shared)
    {
        var eventId = new Option<string?>("--event") { Description = "One event's attempts (its webhook-id, msg_...).", HelpName = "id" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The latest attempts to one endpoint.", HelpName = "id" };
        var attempts = new Command("attempts", "Delivery attempts, newest first: status code, latency, error.") { eventId, endpoint };
        runtime.SetAction(attempts, (context, ct) =>
        {
            var path = (context.Parse.GetValue(eventId), context.Parse.GetValue(endpoint)) switch
            {
                ({ } id, null) => $"/v1/events/{Uri.EscapeDataString(id)}/attempts",
                (null, { } id) => $"/v1/events/endpoints/{Uri.EscapeDataString(id)}/attempts",
                _ => throw CliException.Usage("Give --event <webhook-id> or --endpoint <id>, one of the two."),
            };
            return RunAsync(context, shared, (api, t) => api.GetAsync(path, t), "Attempts:", ct, (c, a) =>
                c.Out.WriteLine($"  {a["at"]}  {a["eventId"]}  {a["type"]}  -> {a["endpoint"]}: {a["statusCode"]?.ToString() ?? "no answer"} in {a["latencyMs"]} ms{(a["error"] is { } error ? $" ({error})" : "")}"));
        });
        return attempts;
    }

    private static Command Replay(CommandRuntime runtime, AdminConnection shared)
    {
        var eventId = new Argument<string?>("event") { Description = "The webhook-id (msg_...) of the event to deliver again.", Arity = ArgumentArity.ZeroOrOne };
        var since = new Option<string?>("--since") { Description = "Instead of one event: every event raised since this time (ISO 8601, e.g. 2026-12-01T10:00:00Z).", HelpName = "time" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Only to this endpoint (default: every endpoint that wants the event).", HelpName = "id" };
        var replay = new Command("replay", "Deliver events again, with the same webhook-id (receivers that de-duplicate see them once).") { eventId, since, endpoint };
        runtime.SetAction(replay, (context, ct) =>
        {
            var body = new JsonObject();
            switch (context.Parse.GetValue(eventId), context.Parse.GetValue(since))
            {
                case ({ } id, null):
                    body["eventId"] = id;
                    break;
                case (null, { } time):
                    body["since"] = DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                        ? at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)
                        : throw CliException.Usage($"--since takes a time such as 2026-12-01T10:00:00Z; \"{time}\" is not one.");
                    break;
                default:
                    throw CliException.Usage("Give the event's webhook-id or --since <time>, one of the two.");
            }

            if (context.Parse.GetValue(endpoint) is { } only)
            {
                body["endpoint"] = only;
            }

            return RunAsync(context, shared, (api, t) => api.PostAsync("/v1/events/replay", body, null, t), "Replayed:", ct,
                (c, answer) => c.Out.WriteLine($"  {answer["queued"]} deliveries queued again"));
        });
        return replay;
    }
}
