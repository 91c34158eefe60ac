using System.CommandLine;
using OtpGate.Cli.Output;
using OtpGate.OneMsg;

namespace OtpGate.Cli.Channel;

/// <summary>
/// <c>otpgate webhook show | add &lt;url&gt; | remove &lt;url&gt;</c>. 1MSG replaces the whole list on every change, so add and
/// remove read the list first and keep every other URL (at most 5 in all).
/// </summary>
internal static class WebhookCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var show = new Command("show", "List the channel's webhook URLs and their state.");
        var addUrl = new Argument<string>("url") { Description = "An absolute http(s) URL." };
        var add = new Command("add", "Add a webhook URL, keeping the others (re-enables it if 1MSG disabled it).") { addUrl };
        var removeUrl = new Argument<string>("url") { Description = "The URL exactly as registered." };
        var remove = new Command("remove", "Remove a webhook URL, keeping the others.") { removeUrl };
        foreach (var sub in (Command[])[show, add, remove])
        {
            runtime.Config.AddChannelOptions(sub);
            sub.Options.Add(runtime.Json);
        }

        runtime.SetAction(show, async (context, cancellationToken) =>
        {
            var webhook = await context.OneMsg().GetWebhookAsync(cancellationToken);
            var rows = webhook.Urls.Select(url => webhook.Statuses.FirstOrDefault(s => s.Url == url) is { } state
                ? new WebhookRow(url, state.Status, state.IsDisabled, state.LastError)
                : new WebhookRow(url, null, null, null)).ToList();
            Write(context, rows);
            return ExitCodes.Success;
        });

        runtime.SetAction(add, async (context, cancellationToken) =>
        {
            var url = context.Parse.GetValue(addUrl)!;
            IReadOnlyList<string> urls;
            try
            {
                urls = await context.OneMsg().AddWebhookUrlAsync(url, cancellationToken);
            }
            catch (InvalidOperationException e)
            {
                throw CliException.Refused(e.Message);
            }

            WriteChange(context, $"Added {url.Trim()}.", urls);
            return ExitCodes.Success;
        });

        runtime.SetAction(remove, async (context, cancellationToken) =>
        {
            var url = context.Parse.GetValue(removeUrl)!.Trim();
            var client = context.OneMsg();
            var before = await client.GetWebhookUrlsAsync(cancellationToken);
            var urls = await client.RemoveWebhookUrlAsync(url, cancellationToken);
            WriteChange(context, before.Contains(url, StringComparer.Ordinal) ? $"Removed {url}." : $"{url} was not registered; nothing changed.", urls);
            return ExitCodes.Success;
        });

        return new Command("webhook", $"Show, add or remove the channel's webhook URLs (1MSG keeps at most {OneMsgClient.MaxWebhookUrls}).") { show, add, remove };
    }

    private static void Write(CommandContext context, List<WebhookRow> rows)
    {
        if (context.Json)
        {
            context.WriteJson(new { urls = rows });
            return;
        }

        if (rows.Count == 0)
        {
            context.Out.WriteLine("No webhook URLs are registered, so 1MSG pushes no delivery statuses. Add the server's with `otpgate webhook add <url>`.");
            return;
        }

        var table = new Table("url", "state", "last error");
        foreach (var row in rows)
        {
            table.Add((row.Url, null), (row.Status ?? "-", row.Disabled == true ? context.Style.Red : null), (row.LastError ?? "", null));
        }

        table.Write(context.Out, context.Style);
    }

    private static void WriteChange(CommandContext context, string what, IReadOnlyList<string> urls)
    {
        if (context.Json)
        {
            context.WriteJson(new { urls = urls.Select(u => new WebhookRow(u, null, null, null)) });
            return;
        }

        context.Out.WriteLine(what);
        context.Out.WriteLine(urls.Count == 0 ? "The channel now has no webhook URLs." : "The channel's webhook URLs are now:");
        foreach (var url in urls)
        {
            context.Out.WriteLine("  " + url);
        }
    }
}

/// <summary>One webhook URL; its state when 1MSG reports one.</summary>
internal sealed record WebhookRow(string Url, string? Status, bool? Disabled, string? LastError);
