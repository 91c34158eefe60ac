using System.CommandLine;
using System.Text.Json.Nodes;
using OtpGate.Cli.Output;
using OtpGate.Cli.Verify;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Services;

/// <summary>
/// <c>otpgate services credentials create|list|revoke</c>: the Twilio-shaped credentials of the <c>/v2</c> surface,
/// through the server's <c>/v1/twilio-credentials</c> admin API. An auth token or secret is printed once, when issued.
/// </summary>
internal static class CredentialsCommand
{
    public static Command Create(CommandRuntime runtime, AdminConnection shared)
    {
        var credentials = new Command("credentials", "Issue, list and revoke the Twilio-shaped credentials (AC… accounts, SK… API keys) of the /v2 surface.");
        shared.AddTo(runtime, credentials, [Issue(runtime, shared), List(runtime, shared), Revoke(runtime, shared)]);

        return credentials;
    }

    private static Command Issue(CommandRuntime runtime, AdminConnection shared)
    {
        var service = new Option<string?>("--service") { Description = "Issue an account (AC…) acting in this service only.", HelpName = "id" };
        var admin = new Option<bool>("--admin") { Description = "Issue an admin account (AC…): it manages services and acts in any." };
        var account = new Option<string?>("--account") { Description = "Issue an API key (SK…) of this account, acting as it.", HelpName = "AC…" };
        var name = new Option<string?>("--name") { Description = "A friendly name, to tell credentials apart in the list.", HelpName = "name" };
        var create = new Command("create", "Issue an account of a service (--service), an admin account (--admin) or an API key of an account (--account); its token or secret is shown once.")
            { service, admin, account, name };
        runtime.SetAction(create, async (context, ct) =>
        {
            var body = new JsonObject();
            if (context.Parse.GetValue(service) is { } id) body["service"] = id;
            if (context.Parse.GetValue(admin)) body["admin"] = true;
            if (context.Parse.GetValue(account) is { } sid) body["accountSid"] = sid;
            if (context.Parse.GetValue(name) is { } friendly) body["friendlyName"] = friendly;
            if (body.Count(p => p.Key != "friendlyName") != 1)
            {
                throw CliException.Usage("Give one of --service <id>, --admin or --account <AC…>.");
            }

            var answer = await shared.CallAsync(context, (api, t) => api.PostAsync("/v1/twilio-credentials", body, null, t), ct);
            if (!context.Json)
            {
                var issued = answer.Body!;
                var secret = issued["authToken"] is not null ? ("Auth token", issued["authToken"]) : ("Secret", issued["secret"]);
                context.Out.WriteLine(issued["kind"]?.GetValue<string>() == "api_key" ? $"API key issued for account {issued["accountSid"]}:" : $"Account issued for {Scope(issued)}:");
                context.Out.WriteLine($"  Sid         {issued["sid"]}");
                context.Out.WriteLine($"  {secret.Item1,-11} {secret.Item2}");
                context.Out.WriteLine("  The token or secret is shown only now: the server keeps its digest, not it.");
            }

            return ExitCodes.Success;
        });
        return create;
    }

    private static Command List(CommandRuntime runtime, AdminConnection shared)
    {
        var service = new Option<string?>("--service") { Description = "Only the credentials of this service.", HelpName = "id" };
        var list = new Command("list", "List the issued credentials (never their tokens or secrets).") { service };
        runtime.SetAction(list, async (context, ct) =>
        {
            var path = context.Parse.GetValue(service) is { } id ? $"/v1/twilio-credentials?service={Uri.EscapeDataString(id)}" : "/v1/twilio-credentials";
            var answer = await shared.CallAsync(context, (api, t) => api.GetAsync(path, t), ct);
            if (!context.Json)
            {
                context.Out.WriteLine("Twilio credentials:");
                foreach (var credential in answer.Items?.OfType<JsonObject>() ?? [])
                {
                    context.Out.WriteLine($"  {credential["sid"]}  {credential["kind"],-8} {Scope(credential),-20} {credential["friendlyName"]}");
                }
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Command Revoke(CommandRuntime runtime, AdminConnection shared)
    {
        var sid = new Argument<string>("sid") { Description = "The account (AC…, with its API keys) or API key (SK…) to revoke." };
        var revoke = new Command("revoke", "Revoke an API key, or an account with its API keys; every instance refuses it from its next request.") { sid };
        runtime.SetAction(revoke, async (context, ct) =>
        {
            await shared.CallAsync(context, (api, t) => api.DeleteAsync($"/v1/twilio-credentials/{Uri.EscapeDataString(context.Parse.GetValue(sid)!)}", t), ct);
            if (!context.Json)
            {
                context.Out.WriteLine("Revoked.");
            }

            return ExitCodes.Success;
        });
        return revoke;
    }

    private static string Scope(JsonObject credential) =>
        credential["admin"]?.GetValue<bool>() == true ? "every service (admin)" : $"service {credential["service"]}";
}
