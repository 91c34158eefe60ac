using System.CommandLine;
using System.Text.Json.Nodes;

namespace OtpGate.Cli.Fraud;

/// <summary>
/// <c>otpgate fraud status|allow|block|unblock</c>: the fraud guard's rules through the server's <c>/v1/fraud</c> admin
/// API. A target is <c>--prefix +1 212</c> or <c>--number +1 212 555 0100</c>; numbers are sent in the body and shown masked.
/// </summary>
internal static class FraudCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var shared = AdminConnection.Create();
        var fraud = new Command("fraud", "The fraud guard: the prefixes it blocked for low conversion, and the safe list and block list by prefix or number.");
        shared.AddTo(runtime, fraud,
        [
            Status(runtime, shared),
            Change(runtime, shared, "allow", "Put a prefix or a number on the safe list (never refused by the guard); --remove takes it off.", "/v1/fraud/allow", "/v1/fraud/unallow"),
            Change(runtime, shared, "block", "Put a prefix or a number on the block list until it is unblocked.", "/v1/fraud/block", null),
            Change(runtime, shared, "unblock", "Lift a block of a prefix or a number, the operator's or the guard's.", "/v1/fraud/unblock", null),
        ]);
        return fraud;
    }

    private static Command Status(CommandRuntime runtime, AdminConnection shared)
    {
        var status = new Command("status", "Whether the guard is on, and every rule in force: blocks (the guard's with their evidence and end) and allows.");
        runtime.SetAction(status, async (context, ct) =>
        {
            var answer = await shared.CallAsync(context, (api, t) => api.GetAsync("/v1/fraud", t), ct);
            if (!context.Json)
            {
                var body = answer.Body!;
                context.Out.WriteLine(body["enabled"]?.GetValue<bool>() == true ? "Fraud guard: on." : "Fraud guard: off (Fraud:Enabled); the lists below still apply.");
                var rules = body["rules"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
                context.Out.WriteLine(rules.Count == 0 ? "No rule in force." : "Rules in force:");
                foreach (var rule in rules)
                {
                    var until = rule["until"] is { } end ? $" until {end.GetValue<DateTimeOffset>():yyyy-MM-dd HH:mm} UTC" : "";
                    context.Out.WriteLine($"  {rule["kind"],-5} {rule["target"],-16} by {rule["source"]}{until}");
                    if (rule["evidence"] is { } evidence)
                    {
                        context.Out.WriteLine($"        {evidence}");
                    }
                }
            }

            return ExitCodes.Success;
        });
        return status;
    }

    private static Command Change(CommandRuntime runtime, AdminConnection shared, string name, string description, string path, string? removePath)
    {
        var prefix = new Option<string?>("--prefix") { Description = "A country calling code and more digits, e.g. \"+1 212\".", HelpName = "prefix" };
        var number = new Option<string?>("--number") { Description = "A whole phone number, e.g. \"+1 212 555 0100\".", HelpName = "number" };
        var remove = new Option<bool>("--remove") { Description = "Take it off the safe list instead." };
        var command = new Command(name, description) { prefix, number };
        if (removePath is not null)
        {
            command.Options.Add(remove);
        }

        runtime.SetAction(command, async (context, ct) =>
        {
            var body = new JsonObject();
            if (context.Parse.GetValue(prefix) is { } p) body["prefix"] = p;
            if (context.Parse.GetValue(number) is { } n) body["number"] = n;
            if (body.Count != 1)
            {
                throw CliException.Usage("Give one of --prefix <prefix> or --number <number>.");
            }

            var removing = removePath is not null && context.Parse.GetValue(remove);
            var answer = await shared.CallAsync(context, (api, t) => api.PostAsync(removing ? removePath! : path, body, null, t), ct,
                sentence => sentence.Replace("Name exactly one of a prefix (e.g. +1 212) or a number", "Give one of --prefix or --number", StringComparison.Ordinal));
            if (!context.Json)
            {
                context.Out.WriteLine((name, removing) switch
                {
                    ("allow", true) => "Taken off the safe list.",
                    ("allow", false) => $"{answer.Text("target")} is on the safe list: the fraud guard never refuses it.",
                    ("block", _) => $"{answer.Text("target")} is blocked until you unblock it.",
                    _ => "Unblocked.",
                });
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
