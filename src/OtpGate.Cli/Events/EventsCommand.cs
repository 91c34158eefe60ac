using System.CommandLine;
using System.Text.Json.Nodes;
using OtpGate.Cli.Output;
using OtpGate.Cli.Services;
using OtpGate.Cli.Verify;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Events;

/// <summary>
/// <c>otpgate events endpoints list|add|show|remove|rotate-secret|enable</c>: the server's <c>/v1/events/endpoints</c>
/// admin API from the command line, with an admin key (<c>--admin-key</c> or OTPGATE_ADMIN_KEY). A secret is printed
/// only by add and rotate-secret, once.
/// </summary>
internal static partial class EventsCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var shared = AdminConnection.Create();
        var endpoints = new Command("endpoints", "List, add, show, remove, rotate the secret of, and enable again the endpoints events are delivered to.");
        shared.AddTo(runtime, endpoints, [List(runtime, shared), Add(runtime, shared), Show(runtime, shared), Remove(runtime, shared), Rotate(runtime, shared), Enable(runtime, shared)]);

        var events = new Command("events", "Signed webhook events to the integrating application (Standard Webhooks).") { endpoints };
        shared.AddTo(runtime, events, [ListEvents(runtime, shared), Attempts(runtime, shared), Replay(runtime, shared), Listen(runtime, shared)]);
        return events;
    }

    private static Command List(CommandRuntime runtime, AdminConnection shared)
    {
        var list = new Command("list", "List the endpoints: id, URL, service, types, state, where each was declared (never their secrets).");
        runtime.SetAction(list, (context, ct) => RunAsync(context, shared, (api, t) => api.GetAsync("/v1/events/endpoints", t), "Event endpoints:", ct));
        return list;
    }

    private static Command Add(CommandRuntime runtime, AdminConnection shared)
    {
        var (id, url) = (IdArgument(), new Argument<string>("url") { Description = "Where events are posted, e.g. https://app.example/hooks/otpgate." });
        var service = new Option<string?>("--service") { Description = "Only this service's events (every service's when left out).", HelpName = "service" };
        var types = new Option<string?>("--types") { Description = "Only these event types, a comma list, e.g. verification.approved,verification.failed (every type when left out).", HelpName = "types" };
        var secret = new Option<string?>("--secret") { Description = "The signing secret, whsec_ and base64 (generated when left out).", HelpName = "secret" };
        var add = new Command("add", "Add an endpoint; prints its secret once.") { id, url, service, types, secret };
        runtime.SetAction(add, (context, ct) => RunAsync(context, shared, (api, t) =>
        {
            var body = new JsonObject { ["id"] = context.Parse.GetValue(id), ["url"] = context.Parse.GetValue(url) };
            if (context.Parse.GetValue(service) is { } onlyService)
            {
                body["service"] = onlyService;
            }

            if (context.Parse.GetValue(types) is { } onlyTypes)
            {
                body["types"] = new JsonArray([.. onlyTypes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)v)]);
            }

            if (context.Parse.GetValue(secret) is { } given)
            {
                body["secret"] = given;
            }

            return api.PostAsync("/v1/events/endpoints", body, null, t);
        }, "Endpoint added:", ct));
        return add;
    }

    private static Command Show(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var show = new Command("show", "Show an endpoint.") { id };
        runtime.SetAction(show, (context, ct) => RunAsync(context, shared, (api, t) => api.GetAsync(Path(context, id), t), "Event endpoint:", ct));
        return show;
    }

    private static Command Remove(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var remove = new Command("remove", "Remove an endpoint added through the API, with its deliveries still to be made.") { id };
        runtime.SetAction(remove, (context, ct) => RunAsync(context, shared, (api, t) => api.DeleteAsync(Path(context, id), t), "Endpoint removed.", ct));
        return remove;
    }

    private static Command Rotate(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var secret = new Option<string?>("--secret") { Description = "The new secret, whsec_ and base64 (generated when left out).", HelpName = "secret" };
        var rotate = new Command("rotate-secret", "Give an endpoint a new secret (printed once); the previous one also signs for Events:RotationOverlap.") { id, secret };
        runtime.SetAction(rotate, (context, ct) => RunAsync(context, shared, (api, t) =>
            api.PostAsync(Path(context, id) + "/rotate-secret", context.Parse.GetValue(secret) is { } given ? new JsonObject { ["secret"] = given } : [], null, t),
            "Secret rotated:", ct));
        return rotate;
    }

    private static Command Enable(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var enable = new Command("enable", "Enable an endpoint disabled after a 410 or days of failures; its open deliveries resume.") { id };
        runtime.SetAction(enable, (context, ct) => RunAsync(context, shared, (api, t) => api.PostAsync(Path(context, id) + "/enable", [], null, t), "Endpoint enabled:", ct));
        return enable;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The endpoint's id, e.g. crm." };

    private static string Path(CommandContext context, Argument<string> id) => $"/v1/events/endpoints/{Uri.EscapeDataString(context.Parse.GetValue(id)!)}";

    private static async Task<int> RunAsync(
        CommandContext context, AdminConnection shared, Func<ServerApi, CancellationToken, Task<ServerAnswer>> call, string headline, CancellationToken cancellationToken,
        Action<CommandContext, JsonObject>? print = null)
    {
        var answer = await shared.CallAsync(context, call, cancellationToken);
        if (context.Json)
        {
            return ExitCodes.Success;
        }

        context.Out.WriteLine(headline);
        foreach (var item in answer.Items?.OfType<JsonObject>() ?? (answer.Body is { } one ? [one] : []))
        {
            (print ?? PrintEndpoint)(context, item);
        }

        return ExitCodes.Success;
    }

    private static void PrintEndpoint(CommandContext context, JsonObject endpoint)
    {
        var types = endpoint["types"] is JsonArray list ? string.Join(',', list.Select(t => t?.GetValue<string>())) : "every type";
        var state = endpoint["disabledReason"] is { } reason ? $"disabled: {reason}" : endpoint["state"]?.GetValue<string>();
        context.Out.WriteLine($"  {endpoint["id"]}  {endpoint["url"]}  ({endpoint["service"]?.GetValue<string>() ?? "every service"}; {types}; {state}; {endpoint["source"]})");
        if (endpoint["secret"] is { } secret)
        {
            context.Out.WriteLine($"  secret: {secret.GetValue<string>()}  (shown only now: give it to the receiver)");
        }
    }
}
