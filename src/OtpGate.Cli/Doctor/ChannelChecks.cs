using System.Net;
using OtpGate.OneMsg;
using OtpGate.OneMsg.Templates;

namespace OtpGate.Cli.Doctor;

/// <summary>The checks that ask 1MSG: token, channel, templates and namespaces, webhook and acknowledgements.</summary>
internal static class ChannelChecks
{
    private const string TokenTitle = "Token accepted";
    private const string ChannelTitle = "Channel connected";

    /// <summary>Runs the remote checks; returns the templates found for the configured references (for the expiry lines).</summary>
    public static async Task<IReadOnlyList<TemplateInfo>> RunAsync(OneMsgClient client, DoctorInputs inputs, List<Check> checks, CancellationToken cancellationToken)
    {
        OtpGate.OneMsg.Channel.ChannelStatus status;
        try
        {
            status = await client.GetStatusAsync(cancellationToken);
        }
        catch (OneMsgException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            checks.Add(Check.Fail("token", TokenTitle, $"1MSG refused the token for channel {inputs.OneMsg.ChannelId} (HTTP {(int)e.StatusCode!}).",
                "Copy the channel's API token from the 1MSG dashboard into OneMsg:Token (the OneMsg__Token environment variable keeps it out of files), and check OneMsg:ChannelId."));
            SkipRest(checks, inputs, "1MSG refused the token.");
            return [];
        }
        catch (OneMsgException e)
        {
            checks.Add(Check.Fail("token", TokenTitle, $"Could not ask 1MSG: {e.Message.TrimEnd('.')}.",
                e.StatusCode == HttpStatusCode.NotFound
                    ? "Check OneMsg:BaseUrl and OneMsg:ChannelId: 1MSG does not know this channel at that address."
                    : "Check OneMsg:BaseUrl and the network, then run the doctor again."));
            SkipRest(checks, inputs, "1MSG could not be reached.");
            return [];
        }

        checks.Add(Check.Pass("token", TokenTitle, $"1MSG accepted the token for channel {inputs.OneMsg.ChannelId}."));
        checks.Add(status.IsOk
            ? Check.Pass("channel", ChannelTitle, $"The channel is {status.Status}{(status.AccountStatus is null ? "" : $" (account {status.AccountStatus})")}.")
            : Check.Fail("channel", ChannelTitle, $"The channel is {status.Status}, so it cannot send.", "Reconnect the channel (and its WhatsApp number) in the 1MSG dashboard."));

        var templates = await client.GetTemplatesAsync(cancellationToken);
        var found = new List<TemplateInfo>();
        foreach (var configured in inputs.Templates)
        {
            var template = TemplateChecks.Find(templates, configured.Reference);
            checks.Add(TemplateChecks.Shape(configured, template, templates));
            checks.Add(TemplateChecks.Namespace(configured, template));
            if (template is not null)
            {
                found.Add(template);
            }
        }

        await WebhookAsync(client, inputs, checks, cancellationToken);
        return found;
    }

    private static async Task WebhookAsync(OneMsgClient client, DoctorInputs inputs, List<Check> checks, CancellationToken cancellationToken)
    {
        const string Title = "Webhook registered";
        const string AckTitle = "Acknowledgements on";
        if (string.IsNullOrWhiteSpace(inputs.WebhookBaseUrl))
        {
            checks.Add(Check.Warn("webhook", Title,
                "OneMsg:WebhookBaseUrl is not set, so 1MSG cannot push delivery statuses to the server; it learns them only by polling hookInfo, later and at a cost.",
                "Set OneMsg:WebhookBaseUrl to the server's public https base URL; with OneMsg:RegisterWebhook=true the server registers its webhook at start-up."));
        }
        else
        {
            var prefix = inputs.WebhookBaseUrl.Trim().TrimEnd('/') + "/webhooks/1msg/";
            var webhook = await client.GetWebhookAsync(cancellationToken);
            var ours = webhook.Urls.FirstOrDefault(u => u.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
            var state = ours is null ? null : webhook.Statuses.FirstOrDefault(s => s.Url == ours);
            checks.Add(ours switch
            {
                null => Check.Fail("webhook", Title,
                    $"No webhook URL starting with {prefix} is registered ({(webhook.Urls.Count == 0 ? "the channel has none" : "it has " + string.Join(", ", webhook.Urls))}).",
                    $"Start the server with OneMsg:RegisterWebhook=true (it registers itself), or run `otpgate webhook add {prefix}<secret>` with the path secret from the server's data directory."),
                _ when state is { IsDisabled: true } => Check.Fail("webhook", Title,
                    $"{Shorten(ours)} is registered but 1MSG disabled it ({state.Status}{(state.LastError is null ? "" : ": " + state.LastError)}).",
                    "Make sure the server answers at that URL, then re-enable it by setting the list again: `otpgate webhook add <that url>`."),
                _ => Check.Pass("webhook", Title, $"{Shorten(ours)} is registered{(state is null ? "" : $" ({state.Status})")}."),
            });
        }

        var settings = await client.GetSettingsAsync(cancellationToken);
        checks.Add(settings.AckNotificationsOn switch
        {
            true => Check.Pass("acks", AckTitle, "ackNotificationsOn is true: 1MSG pushes sent, delivered, read and failed statuses."),
            false => Check.Fail("acks", AckTitle, "ackNotificationsOn is false: 1MSG pushes no delivery statuses to the webhook.",
                "otpgate settings set ackNotificationsOn=true"),
            null => Check.Warn("acks", AckTitle, "1MSG did not report ackNotificationsOn.", "Turn it on to be sure: otpgate settings set ackNotificationsOn=true"),
        });
    }

    // The path secret is the webhook's only protection: show its first characters, never all of it.
    private static string Shorten(string url)
    {
        var marker = url.IndexOf("/webhooks/1msg/", StringComparison.OrdinalIgnoreCase);
        if (marker < 0)
        {
            return url;
        }

        var start = marker + "/webhooks/1msg/".Length;
        return url.Length - start <= 4 ? url : string.Concat(url.AsSpan(0, start + 4), "…");
    }

    private static void SkipRest(List<Check> checks, DoctorInputs inputs, string because)
    {
        checks.Add(Check.Skip("channel", ChannelTitle, because));
        foreach (var configured in inputs.Templates)
        {
            checks.Add(Check.Skip("template" + configured.Suffix, TemplateChecks.ShapeTitle + configured.TitleSuffix, because));
            checks.Add(Check.Skip("namespace" + configured.Suffix, TemplateChecks.NamespaceTitle + configured.TitleSuffix, because));
        }

        checks.Add(Check.Skip("webhook", "Webhook registered", because));
        checks.Add(Check.Skip("acks", "Acknowledgements on", because));
    }
}
