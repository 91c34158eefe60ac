using System.CommandLine;
using System.Text.Json.Nodes;
using OtpGate.Cli.Output;

namespace OtpGate.Cli.Verify;

/// <summary>
/// <c>otpgate verify start|check|status</c>: the server's verification API from the command line, for scripts and smoke
/// tests. The server URL and the API key come from <c>--server</c>/<c>--api-key</c> or OTPGATE_SERVER_URL/OTPGATE_API_KEY.
/// </summary>
internal static class VerifyCommand
{
    public const string DefaultServer = "http://localhost:5080";

    public static Command Create(CommandRuntime runtime)
    {
        var server = new Option<string?>("--server") { Description = $"The server's base URL (default OTPGATE_SERVER_URL, else {DefaultServer}).", HelpName = "url" };
        var apiKey = new Option<string?>("--api-key") { Description = "The API key (default OTPGATE_API_KEY; the variable keeps it out of shell history).", HelpName = "key" };

        var phone = new Option<string>("--phone") { Description = "The phone number to verify, international format.", Required = true, HelpName = "number" };
        var purpose = new Option<string?>("--purpose") { Description = "What the verification is for, e.g. signup (one live verification per phone and purpose).", HelpName = "purpose" };
        var locale = new Option<string?>("--locale") { Description = "The template locale, e.g. pt_BR.", HelpName = "locale" };
        var clientRef = new Option<string?>("--client-ref") { Description = "Your own reference, returned as given.", HelpName = "ref" };
        var clientIp = new Option<string?>("--client-ip") { Description = "Your user's IP address, for the per-IP limit.", HelpName = "ip" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Sent as the Idempotency-Key header.", HelpName = "key" };
        var start = new Command("start", "Start a verification: the server sends a code to the phone.") { phone, purpose, locale, clientRef, clientIp, idempotencyKey };

        var checkId = new Argument<string>("id") { Description = "The verification id start printed." };
        var code = new Option<string>("--code") { Description = "The code the user received.", Required = true, HelpName = "code" };
        var check = new Command("check", "Check a code (exit code 0 when approved, 2 otherwise).") { checkId, code };

        var statusId = new Argument<string>("id") { Description = "The verification id." };
        var status = new Command("status", "Show a verification: status, expiry, attempts left, delivery.") { statusId };

        foreach (var sub in (Command[])[start, check, status])
        {
            sub.Options.Add(server);
            sub.Options.Add(apiKey);
            sub.Options.Add(runtime.Json);
        }

        runtime.SetAction(start, (context, cancellationToken) => RunAsync(context, server, apiKey, (api, ct) =>
        {
            var body = new JsonObject { ["phone"] = context.Parse.GetValue(phone) };
            AddIfSet(body, "purpose", context.Parse.GetValue(purpose));
            AddIfSet(body, "locale", context.Parse.GetValue(locale));
            AddIfSet(body, "clientRef", context.Parse.GetValue(clientRef));
            AddIfSet(body, "clientIp", context.Parse.GetValue(clientIp));
            return api.PostAsync("/v1/verifications", body, context.Parse.GetValue(idempotencyKey), ct);
        }, answer => answer.Status == System.Net.HttpStatusCode.Created ? "Verification started." : "A pending verification for this phone already exists; the server returned it.",
        cancellationToken));

        runtime.SetAction(check, (context, cancellationToken) => RunAsync(context, server, apiKey,
            (api, ct) => api.PostAsync($"/v1/verifications/{Uri.EscapeDataString(context.Parse.GetValue(checkId)!)}/check",
                new JsonObject { ["code"] = context.Parse.GetValue(code) }, null, ct),
            answer => answer.Text("status") == "approved" ? "Approved: the code is right." : $"The server answered {answer.Text("status")}.",
            cancellationToken,
            answer => answer.Text("status") == "approved"));

        runtime.SetAction(status, (context, cancellationToken) => RunAsync(context, server, apiKey,
            (api, ct) => api.GetAsync($"/v1/verifications/{Uri.EscapeDataString(context.Parse.GetValue(statusId)!)}", ct),
            _ => "Verification:", cancellationToken));

        return new Command("verify", "Start and check verifications through a running OtpGate server's API.") { start, check, status };
    }

    private static async Task<int> RunAsync(
        CommandContext context,
        Option<string?> serverOption,
        Option<string?> apiKeyOption,
        Func<ServerApi, CancellationToken, Task<ServerAnswer>> call,
        Func<ServerAnswer, string> headline,
        CancellationToken cancellationToken,
        Func<ServerAnswer, bool>? succeeded = null)
    {
        var serverText = context.Parse.GetValue(serverOption) ?? context.Console.Variable("OTPGATE_SERVER_URL") ?? DefaultServer;
        if (!Uri.TryCreate(serverText, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            throw CliException.Usage($"The server URL \"{serverText}\" is not an absolute http(s) URL, such as {DefaultServer}.");
        }

        var apiKey = context.Parse.GetValue(apiKeyOption) ?? context.Console.Variable("OTPGATE_API_KEY");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var answer = await call(new ServerApi(http, server, apiKey), cancellationToken);
        if (context.Json && answer.Body is not null)
        {
            context.Out.WriteLine(answer.Body.ToJsonString(JsonOutput.Options));
        }

        if (!answer.IsSuccess)
        {
            throw CliException.Refused(answer.Status == System.Net.HttpStatusCode.Unauthorized && string.IsNullOrWhiteSpace(apiKey)
                ? "The server wants an API key; pass --api-key or set OTPGATE_API_KEY."
                : answer.Sentence());
        }

        if (!context.Json)
        {
            context.Out.WriteLine(headline(answer));
            WriteFields(context, answer.Body);
        }

        return succeeded is null || succeeded(answer) ? ExitCodes.Success : ExitCodes.Refused;
    }

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            body[name] = value;
        }
    }

    /// <summary>Top-level fields as aligned lines; a list of objects (the delivery timeline) as "a → b → c".</summary>
    private static void WriteFields(CommandContext context, JsonObject? body)
    {
        if (body is null)
        {
            return;
        }

        var width = body.Select(p => p.Key.Length).DefaultIfEmpty(0).Max() + 2;
        foreach (var (name, value) in body)
        {
            var text = value switch
            {
                null => "null",
                JsonValue v => v.TryGetValue<string>(out var s) ? s : v.ToJsonString(),
                JsonArray a when a.All(i => i is JsonObject o && o["status"] is not null) => string.Join(" → ", a.Select(i => i!["status"]!.ToString())),
                _ => value.ToJsonString(),
            };
            context.Out.WriteLine($"  {name.PadRight(width)}{text}");
        }
    }
}
