using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Sandbox.Messages;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Logging;

/// <summary>
/// Every log line of every category at Trace level (messages, structured values, scopes, exceptions), over whole flows
/// through the API and the sign-up pages, with the sandbox's webhook callbacks and hookInfo polling: none carries a code
/// sent in the run, a whole phone number, a whole message id (base64 of the number), an API key or a secret.
/// </summary>
public sealed partial class TraceLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CustomServer TraceServer() => new(new()
    {
        ["Logging:LogLevel:Default"] = "Trace",
        // appsettings.json quiets these categories; every one of them is opened up here.
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Trace",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Trace",
        ["Logging:LogLevel:Polly"] = "Trace",
        ["Verification:ResendCooldown"] = "00:00:00",
        // Sends without a final status are polled through hookInfo almost at once.
        ["Verification:Dispatch:StatusPollAfter"] = "00:00:00.050",
        ["Verification:Dispatch:PollInterval"] = "00:00:00.050",
        ["Sandbox:SlowDeliveryAfter"] = "00:00:01",
    });

    [Fact]
    public async Task The_api_flows_log_no_code_number_message_id_key_or_secret_at_trace_level()
    {
        await using var server = TraceServer();
        await server.InitializeAsync();
        using var api = server.Api();

        // 12125550103 is delivered late, so its send is polled through hookInfo while the webhook has only said "sent".
        const string slow = "+1 212 555 0103";
        var id = (await server.StartAsync(slow))["id"]!.GetValue<string>();
        await server.WaitForAsync(id, v => ServerFactory.Delivery(v) is "delivered" or "read");
        var code = await server.ReadCodeAsync(slow);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = WrongCode(code) }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/v1/verifications/{id}/resend", null, Ct)).StatusCode);
        await server.ReadCodeAsync(slow, messages: 2);
        await ReadFirstEventAsync(api, $"/v1/verifications/{id}/events");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct)).StatusCode);

        var canceled = server.NextPhone();
        var other = (await server.StartAsync(canceled))["id"]!.GetValue<string>();
        await server.ReadCodeAsync(canceled); // sent first: a cancel that beat the dispatcher would cancel the send itself
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/v1/verifications/{other}/cancel", null, Ct)).StatusCode);

        // Callbacks came and polling ran (each on the server's own time: waited for, not assumed),
        await server.Logs.WaitForAsync(e => e.Text.StartsWith("Webhook received", StringComparison.Ordinal), "a status callback");
        await server.Logs.WaitForAsync(e => e.Text.Contains("1MSG GET hookInfo answered", StringComparison.Ordinal), "a hookInfo poll");
        AssertNothingSecret(server, [slow, canceled]); // and nothing secret was written about any of it.
    }

    [Fact]
    public async Task The_sign_up_pages_log_no_code_number_message_id_key_or_secret_at_trace_level()
    {
        await using var server = TraceServer();
        await server.InitializeAsync();
        using var browser = server.CreateClient();
        var phone = server.NextPhone();

        var form = await browser.GetStringAsync("/", Ct);
        var verify = await PostFormAsync(browser, "/", form, new() { ["Name"] = "Ada", ["Phone"] = phone });
        var code = await server.ReadCodeAsync(phone);
        await ReadFirstEventAsync(browser, "/signup/events");
        var wrong = await PostFormAsync(browser, "/Verify?handler=Check", verify, new() { ["Code"] = WrongCode(code) });
        var welcome = await PostFormAsync(browser, "/Verify?handler=Check", wrong, new() { ["Code"] = code });

        Assert.Contains("id=\"code-error\"", wrong, StringComparison.Ordinal);
        Assert.Contains("Welcome, Ada!", welcome, StringComparison.Ordinal);
        Assert.Contains(server.Logs.Entries, e => e.Text.Contains("OnPostCheckAsync", StringComparison.Ordinal)); // the handler ran at Trace
        AssertNothingSecret(server, [phone]);
    }

    private static void AssertNothingSecret(CustomServer server, IReadOnlyList<string> phones)
    {
        var sent = phones.SelectMany(p => server.Services.GetRequiredService<SandboxMessages>().GetMessages(p)).ToList();
        Assert.NotEmpty(sent);
        var secrets = new List<(string What, string Value)>
        {
            ("the API key", ServerFactory.ApiKey),
            ("the webhook secret", server.WebhookSecret),
            ("the server secret", ServerFactory.Secret),
        };
        secrets.AddRange(phones.Select(p => ("a phone number as typed", p)));
        secrets.AddRange(phones.Select(p => ("a phone number", new string([.. p.Where(char.IsAsciiDigit)]))));
        secrets.AddRange(sent.Select(m => ("a message id", m.Id)));

        var entries = server.Logs.Entries;
        Assert.True(entries.Count > 500, $"Only {entries.Count} log entries: was Trace on?");
        var leaks = entries
            .SelectMany(e => secrets.Where(s => e.Text.Contains(s.Value, StringComparison.Ordinal)).Select(s => (s.What, e)))
            // A code is six digits: it counts only standing alone, not inside a longer number such as a timestamp.
            .Concat(entries.SelectMany(e => sent.Select(m => m.Code!).Distinct()
                .Where(c => Regex.IsMatch(e.Text, $"(?<![0-9]){c}(?![0-9])")).Select(_ => ("a code", e))))
            .GroupBy(l => (l.Item1, l.e.Category))
            .Select(g => $"{g.Count()} x {g.Key.Item1} in [{g.Key.Category}], e.g. {g.First().e.Text}")
            .ToList();
        Assert.True(leaks.Count == 0, "Log entries leak:\n" + string.Join("\n", leaks));
    }

    private static string WrongCode(string code) => code == "000000" ? "111111" : "000000";

    private static async Task ReadFirstEventAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        while (await reader.ReadLineAsync(Ct) is { } line && !line.StartsWith("data: ", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>Posts a form of the page <paramref name="page"/> (its anti-forgery token included) and returns where it led.</summary>
    private static async Task<string> PostFormAsync(HttpClient client, string path, string page, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = AntiForgeryToken().Match(page).Groups[1].Value;
        using var response = await client.PostAsync(path, new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();
}
