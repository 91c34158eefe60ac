using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Cli.Services;
using OtpGate.Cli.Verify;
using OtpGate.Verification.Events;

namespace OtpGate.Cli.Events;

/// <summary>
/// <c>otpgate events listen --forward-to URL</c>: follows a server's events over a connection it opens itself (the
/// server's <c>/v1/events/stream</c>) and posts each to a local address, signed with a development secret it prints,
/// so a receiver can be built without exposing anything; the way payment providers' CLIs do it.
/// </summary>
internal static partial class EventsCommand
{
    private static Command Listen(CommandRuntime runtime, AdminConnection shared)
    {
        var forwardTo = new Option<string>("--forward-to") { Description = "Where to post each event, e.g. http://localhost:3000/hooks.", HelpName = "url", Required = true };
        var secret = new Option<string?>("--secret") { Description = "The whsec_ secret to sign with (a new development one when left out; it is printed).", HelpName = "secret" };
        var count = new Option<int?>("--count") { Description = "Stop after this many events (default: until interrupted).", HelpName = "n" };
        var listen = new Command("listen", "Forward a server's events to a local address, signed with a development secret.") { forwardTo, secret, count };
        runtime.SetAction(listen, async (context, ct) =>
        {
            var target = Uri.TryCreate(context.Parse.GetValue(forwardTo), UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? url : throw CliException.Usage($"--forward-to takes an absolute http(s) URL, such as http://localhost:3000/hooks.");
            var signingSecret = context.Parse.GetValue(secret) ?? WebhookSecret.Generate();
            var key = WebhookSecret.TryParseKey(signingSecret) ?? throw CliException.Usage("--secret must be \"whsec_\" and the base64 of 24 to 64 bytes.");
            var adminKey = shared.Key(context);
            var server = shared.ServerUrl(context);
            context.Out.WriteLine($"Forwarding the events of {server} to {target}, signed with {signingSecret} (a development secret; Ctrl+C stops).");
            await ForwardAsync(context, new Uri(server, "/v1/events/stream"), adminKey, target, key, context.Parse.GetValue(count), ct);
            return ExitCodes.Success;
        });
        return listen;
    }

    private static async Task ForwardAsync(CommandContext context, Uri stream, string adminKey, Uri target, byte[] key, int? count, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, stream);
        request.Headers.Authorization = new("Bearer", adminKey);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw CliException.Refused($"The server answered {(int)response.StatusCode} to {stream.AbsolutePath}; is the key an admin key?");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var forwarded = 0;
        while (count is null || forwarded < count)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw CliException.Refused("The server closed the event stream.");
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }

            var streamed = JsonNode.Parse(line["data: ".Length..])!;
            var (id, body) = (streamed["eventId"]!.GetValue<string>(), streamed["payload"]!.GetValue<string>());
            var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
            using var post = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            post.Headers.Add("webhook-id", id);
            post.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            post.Headers.Add("webhook-signature", WebhookSecret.Sign(key, id, timestamp, body));
            var type = JsonNode.Parse(body)?["type"]?.GetValue<string>();
            try
            {
                using var answer = await http.SendAsync(post, cancellationToken);
                context.Out.WriteLine($"  {type} {id} -> {(int)answer.StatusCode}");
            }
            catch (HttpRequestException e)
            {
                context.Out.WriteLine($"  {type} {id} -> not delivered: {e.Message}");
            }

            forwarded++;
        }
    }
}
