using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpGate.Cli.Output;
using OtpGate.Cli.Verify;
using OtpGate.Server.Hosting;

namespace OtpGate.Cli.Services;

/// <summary>
/// <c>otpgate services list|create|show|update|delete</c>: the server's <c>/v1/services</c> admin API from the command
/// line, with an admin key (<c>--admin-key</c> or OTPGATE_ADMIN_KEY). Settings are given as <c>--set name=value</c>,
/// e.g. <c>--set codeLength=8 --set deniedCountries=GB,DE --set templates.pt_BR=shop_code_pt --set sms.fallback=false</c>.
/// </summary>
internal static partial class ServicesCommand
{
    private static readonly string[] ListSettings = ["allowedCountries", "deniedCountries"];

    public static Command Create(CommandRuntime runtime)
    {
        var shared = AdminConnection.Create();
        var services = new Command("services", "List, create, show, update and delete services through a running OtpGate server's admin API.");
        shared.AddTo(runtime, services, [List(runtime, shared), CreateOne(runtime, shared), Show(runtime, shared), Update(runtime, shared), Delete(runtime, shared)]);
        services.Subcommands.Add(CredentialsCommand.Create(runtime, shared));
        return services;
    }

    private static Command List(CommandRuntime runtime, AdminConnection shared)
    {
        var list = new Command("list", "List the services: id, sid, friendly name, where each was declared.");
        runtime.SetAction(list, (context, ct) => RunAsync(context, shared, (api, t) => api.GetAsync("/v1/services", t), "Services:", ct));
        return list;
    }

    private static Command CreateOne(CommandRuntime runtime, AdminConnection shared)
    {
        var (id, name, set) = (IdArgument(), NameOption(), SetOption());
        var create = new Command("create", "Create a service; settings not given are the server's Verification ones.") { id, name, set };
        runtime.SetAction(create, (context, ct) => RunAsync(context, shared, (api, t) =>
        {
            var body = new JsonObject { ["id"] = context.Parse.GetValue(id), ["settings"] = Settings(context.Parse.GetValue(set)) };
            if (context.Parse.GetValue(name) is { } friendly)
            {
                body["friendlyName"] = friendly;
            }

            return api.PostAsync("/v1/services", body, null, t);
        }, "Service created:", ct));
        return create;
    }

    private static Command Show(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var show = new Command("show", "Show a service and its settings.") { id };
        runtime.SetAction(show, (context, ct) => RunAsync(context, shared, (api, t) => api.GetAsync(Path(context, id), t), "Service:", ct));
        return show;
    }

    private static Command Update(CommandRuntime runtime, AdminConnection shared)
    {
        var (id, name, set) = (IdArgument(), NameOption(), SetOption());
        var update = new Command("update", "Change a service's friendly name or settings (only those given).") { id, name, set };
        runtime.SetAction(update, (context, ct) => RunAsync(context, shared, (api, t) =>
        {
            var body = new JsonObject { ["settings"] = Settings(context.Parse.GetValue(set)) };
            if (context.Parse.GetValue(name) is { } friendly)
            {
                body["friendlyName"] = friendly;
            }

            return api.PostAsync(Path(context, id), body, null, t);
        }, "Service updated:", ct));
        return update;
    }

    private static Command Delete(CommandRuntime runtime, AdminConnection shared)
    {
        var id = IdArgument();
        var delete = new Command("delete", "Delete a service with no pending verification (never the default one).") { id };
        runtime.SetAction(delete, (context, ct) => RunAsync(context, shared, (api, t) => api.DeleteAsync(Path(context, id), t), "Service deleted.", ct));
        return delete;
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The service's id (its name), e.g. shop-eu." };

    private static Option<string?> NameOption() => new("--name") { Description = "The friendly name.", HelpName = "name" };

    private static Option<string[]> SetOption() => new("--set") { Description = "A setting as name=value (repeatable): codeLength=8, codeLifetime=00:05:00, deniedCountries=GB,DE, templates.pt_BR=name, testNumbers.+12125550199=123456, sms.fallback=false, sms.texts.pt=text.", HelpName = "name=value", AllowMultipleArgumentsPerToken = false };

    private static string Path(CommandContext context, Argument<string> id) => $"/v1/services/{Uri.EscapeDataString(context.Parse.GetValue(id)!)}";

    /// <summary>The <c>--set</c> values as the settings object: numbers as numbers, country lists split at commas, <c>a.b</c> as a map entry.</summary>
    internal static JsonObject Settings(string[]? assignments)
    {
        var settings = new JsonObject();
        foreach (var assignment in assignments ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--set takes name=value, e.g. codeLength=8; \"{assignment}\" has no name or no '='.");
            }

            var (name, value) = (assignment[..equals].Trim(), assignment[(equals + 1)..].Trim());
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                // a.b=v is an entry of a map or a group (templates.pt_BR, sms.fallback); a.b.c=v one level deeper (sms.texts.pt).
                var path = name.Split('.');
                var group = settings;
                foreach (var part in path[..^1])
                {
                    group = (group[part] ??= new JsonObject()) as JsonObject
                        ?? throw CliException.Usage($"--set {name}: {part} was already given a plain value.");
                }

                group[path[^1]] = bool.TryParse(value, out var flag) ? flag : value;
            }
            else if (ListSettings.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                settings[name] = new JsonArray([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)v)]);
            }
            else
            {
                settings[name] = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                    : bool.TryParse(value, out var flag) ? flag : value;
            }
        }

        return settings;
    }

    /// <summary>
    /// The server's sentence with its JSON fields named as this command's options: <c>settings.codeLength is 3</c>
    /// becomes <c>--set codeLength is 3</c>, <c>friendlyName</c> becomes <c>--name</c>.
    /// </summary>
    internal static string AsOptions(string sentence) =>
        SettingField().Replace(sentence, "--set $1").Replace("friendlyName must", "--name must", StringComparison.Ordinal);

    [GeneratedRegex(@"\bsettings\.([A-Za-z]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SettingField();

    private static async Task<int> RunAsync(CommandContext context, AdminConnection shared, Func<ServerApi, CancellationToken, Task<ServerAnswer>> call, string headline, CancellationToken cancellationToken)
    {
        var answer = await shared.CallAsync(context, call, cancellationToken, AsOptions);
        if (context.Json)
        {
            return ExitCodes.Success;
        }

        context.Out.WriteLine(headline);
        foreach (var service in answer.Items?.OfType<JsonObject>() ?? (answer.Body is { } one ? [one] : []))
        {
            context.Out.WriteLine($"  {service["id"]}  {service["sid"]}  {service["friendlyName"]}  ({service["source"]}, version {service["version"]})");
            if (answer.Items is null && service["settings"] is JsonObject settings)
            {
                foreach (var (name, value) in settings)
                {
                    context.Out.WriteLine($"    {name,-30} {value?.ToJsonString()}");
                }
            }
        }

        return ExitCodes.Success;
    }
}
