using System.Net;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Tests.Support;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>While the database cannot take writes, <c>/v2</c> answers Twilio's 503 body with Retry-After, never a 500; it heals by itself.</summary>
[Trait("Storage", "sqlite-only")] // breaks SQLite's own files
public sealed class TwilioStorageFaultTests
{
    [Fact]
    public async Task A_start_while_the_data_folder_is_immutable_is_20503_with_retry_after_and_the_next_one_after_succeeds()
    {
        if (!FileFaults.IsRoot)
        {
            Assert.Skip("Needs root for chattr +i: chmod a-w does not reach SQLite's writer, which keeps the files it opened writable.");
        }

        await using var server = new CustomServer(new()
        {
            ["Api:TwilioAccounts:app:AccountSid"] = TwilioServer.ShopAccount,
            ["Api:TwilioAccounts:app:AuthToken"] = TwilioServer.ShopToken,
            ["Api:TwilioAccounts:app:Service"] = "default",
        });
        await server.InitializeAsync();
        using var twilio = server.CreateClient();
        twilio.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TwilioServer.ShopAccount}:{TwilioServer.ShopToken}")));
        var path = $"/v2/Services/{await ServiceSidAsync(server)}/Verifications";
        var database = Path.Combine(server.DataDirectory, "otpgate.db");
        Assert.Equal(HttpStatusCode.Created, (await StartAsync(twilio, path, server)).StatusCode);

        var during = new List<HttpResponseMessage>();
        using (FileFaults.MakeReadOnly(server.DataDirectory, database, database + "-wal"))
        {
            // A start that was already in the writer's group may still commit; the next ones cannot.
            for (var i = 0; i < 50 && during.All(r => r.StatusCode != HttpStatusCode.ServiceUnavailable); i++)
            {
                during.Add(await StartAsync(twilio, path, server));
            }
        }

        var refused = during.Last();
        Assert.DoesNotContain(during, r => (int)r.StatusCode >= 500 && r.StatusCode != HttpStatusCode.ServiceUnavailable);
        await TwilioServer.ErrorAsync(refused, 20503, HttpStatusCode.ServiceUnavailable);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        HttpResponseMessage after;
        var tries = 0;
        do
        {
            after = await StartAsync(twilio, path, server);
        }
        while (after.StatusCode == HttpStatusCode.ServiceUnavailable && ++tries < 200);

        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    private static Task<HttpResponseMessage> StartAsync(HttpClient client, string path, ServerFactory server) =>
        TwilioServer.PostFormAsync(client, path, ("To", server.NextPhone().Replace(" ", "", StringComparison.Ordinal)), ("Channel", "whatsapp"));

    private static async Task<string> ServiceSidAsync(ServerFactory server)
    {
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TwilioServer.ShopAccount}:{TwilioServer.ShopToken}")));
        var list = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/v2/Services", TestContext.Current.CancellationToken))!;
        return list["services"]![0]!["sid"]!.GetValue<string>();
    }
}
