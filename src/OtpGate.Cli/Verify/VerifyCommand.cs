using System.CommandLine;
using System.Net;
using System.Text.Json.Nodes;
using OtpGate.Cli.Output;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Verify;

/// <summary>
/// <c>otpgate verify start|status|check|resend|cancel</c>: the server's verification API from the command line, for
/// scripts and smoke tests. The server URL and the API key come from <c>--server</c>/<c>--api-key</c> or
/// OTPGATE_SERVER_URL/OTPGATE_API_KEY. A missing or malformed setting is a usage error (exit 1) and sends nothing;
/// the server saying no is exit 2.
/// </summary>
internal static class VerifyCommand
{
    public const string ApiKeyVariable = "OTPGATE_API_KEY";

    private sealed record Shared(Option<string?> Server, Option<string?> ApiKey);

    public static Command Create(CommandRuntime runtime)
    {
        var shared = new Shared(
            new Option<string?>("--server") { Description = $"The server's base URL (default {CommandContext.ServerUrlVariable}, else {EmbeddedDefault.ServerUrl}).", HelpName = "url" },
            new Option<string?>("--api-key") { Description = $"The API key (default {ApiKeyVariable}; the variable keeps it out of shell history).", HelpName = "key" });
        Command[] commands = [Start(runtime, shared), Status(runtime, shared), Check(runtime, shared), Resend(runtime, shared), Cancel(runtime, shared)];
        var verify = new Command("verify", "Start, follow, check, resend and cancel verifications through a running OtpGate server's API.");
        foreach (var command in commands)
        {
            command.Options.Add(shared.Server);
            command.Options.Add(shared.ApiKey);
            command.Options.Add(runtime.Json);
            verify.Subcommands.Add(command);
        }

        return verify;
    }

    private static Command Start(CommandRuntime runtime, Shared shared)
    {
        var phone = new Option<string>("--phone") { Description = "The phone number to verify, international format.", Required = true, HelpName = "number" };
        var purpose = new Option<string?>("--purpose") { Description = "What the verification is for, e.g. signup (one live verification per phone and purpose).", HelpName = "purpose" };
        var locale = new Option<string?>("--locale") { Description = "The template locale, e.g. pt_BR.", HelpName = "locale" };
        var clientRef = new Option<string?>("--client-ref") { Description = "Your own reference, returned as given.", HelpName = "ref" };
        var clientIp = new Option<string?>("--client-ip") { Description = "Your user's IP address, for the per-IP limit.", HelpName = "ip" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Sent as the Idempotency-Key header.", HelpName = "key" };
        var start = new Command("start", "Start a verification: the server sends a code to the phone.") { phone, purpose, locale, clientRef, clientIp, idempotencyKey };
        runtime.SetAction(start, (context, cancellationToken) => RunAsync(context, shared, (api, ct) =>
        {
            var body = new JsonObject { ["phone"] = context.Parse.GetValue(phone) };
            AddIfSet(body, "purpose", context.Parse.GetValue(purpose));
            AddIfSet(body, "locale", context.Parse.GetValue(locale));
            AddIfSet(body, "clientRef", context.Parse.GetValue(clientRef));
            AddIfSet(body, "clientIp", context.Parse.GetValue(clientIp));
            return api.PostAsync("/v1/verifications", body, context.Parse.GetValue(idempotencyKey), ct);
        }, answer => answer.Status == HttpStatusCode.Created
            ? "Verification started: the code is on its way."
            : "This phone already has a pending verification for this purpose; the server returned it (and sent the code again if its cooldown allowed).",
        cancellationToken));
        return start;
    }

    private static Command Status(CommandRuntime runtime, Shared shared)
    {
        var id = IdArgument();
        var status = new Command("status", "Show a verification: status, expiry, attempts left, delivery and its timeline.") { id };
        runtime.SetAction(status, (context, cancellationToken) => RunAsync(context, shared,
            (api, ct) => api.GetAsync(Path(context, id), ct), _ => "Verification:", cancellationToken));
        return status;
    }

    private static Command Check(CommandRuntime runtime, Shared shared)
    {
        var id = IdArgument();
        var code = new Option<string>("--code") { Description = "The code the user received.", Required = true, HelpName = "code" };
        var check = new Command("check", "Check a code (exit code 0 when approved, 2 otherwise).") { id, code };
        runtime.SetAction(check, (context, cancellationToken) => RunAsync(context, shared,
            (api, ct) => api.PostAsync(Path(context, id, "/check"), new JsonObject { ["code"] = context.Parse.GetValue(code) }, null, ct),
            answer => answer.Text("status") == "approved" ? "Approved: the code is right." : $"The server answered {answer.Text("status")}.",
            cancellationToken,
            answer => answer.Text("status") == "approved"));
        return check;
    }

    private static Command Resend(CommandRuntime runtime, Shared shared)
    {
        var id = IdArgument();
        var resend = new Command("resend", "Send the code again (the same code while 2 minutes of its lifetime remain, else a new one); refused during the cooldown.") { id };
        runtime.SetAction(resend, (context, cancellationToken) => RunAsync(context, shared,
            (api, ct) => api.PostAsync(Path(context, id, "/resend"), [], null, ct), _ => "Resend queued: the code is on its way again.", cancellationToken));
        return resend;
    }

    private static Command Cancel(CommandRuntime runtime, Shared shared)
    {
        var id = IdArgument();
        var cancel = new Command("cancel", "Cancel a pending verification: its code can no longer be used.") { id };
        runtime.SetAction(cancel, (context, cancellationToken) => RunAsync(context, shared,
            (api, ct) => api.PostAsync(Path(context, id, "/cancel"), [], null, ct), _ => "Verification canceled.", cancellationToken));
        return cancel;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The verification id (vf_…) that start printed." };

    private static string Path(CommandContext context, Argument<string> id, string action = "") =>
        $"/v1/verifications/{Uri.EscapeDataString(context.Parse.GetValue(id)!)}{action}";

    private static async Task<int> RunAsync(
        CommandContext context,
        Shared shared,
        Func<ServerApi, CancellationToken, Task<ServerAnswer>> call,
        Func<ServerAnswer, string> headline,
        CancellationToken cancellationToken,
        Func<ServerAnswer, bool>? succeeded = null)
    {
        var server = ServerUrl(context, shared.Server);
        var apiKey = context.Parse.GetValue(shared.ApiKey) ?? context.Console.Variable(ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            // Nothing to ask the server without a key: a configuration error, like any other missing setting.
            throw CliException.Usage($"No API key: pass --api-key or set {ApiKeyVariable} (the development key the server printed on its first start, or one of its Api:Keys).");
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var answer = await call(new ServerApi(http, server, apiKey), cancellationToken);
        if (context.Json && answer.Body is not null)
        {
            context.Out.WriteLine(answer.Body.ToJsonString(JsonOutput.Options));
        }

        if (!answer.IsSuccess)
        {
            throw CliException.Refused(answer.Sentence());
        }

        if (!context.Json)
        {
            context.Out.WriteLine(headline(answer));
            if (answer.Body is { } body)
            {
                VerificationText.Write(context.Out, body);
            }
        }

        return succeeded is null || succeeded(answer) ? ExitCodes.Success : ExitCodes.Refused;
    }

    private static Uri ServerUrl(CommandContext context, Option<string?> option)
    {
        if (context.Parse.GetValue(option) is not { } text)
        {
            return context.ServerUrl();
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var server) && server.Scheme is "http" or "https"
            ? server
            : throw CliException.Usage($"The server URL \"{text}\" is not an absolute http(s) URL, such as {EmbeddedDefault.ServerUrl}.");
    }

    private static void AddIfSet(JsonObject body, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            body[name] = value;
        }
    }
}
