using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.Tests.TwilioVerify;

/// <summary>Basic authentication on <c>/v2</c> with Twilio-shaped credentials, declared in configuration or issued through <c>/v1/twilio-credentials</c>.</summary>
public sealed class TwilioAuthenticationTests(TwilioServer server) : IClassFixture<TwilioServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_account_sid_and_auth_token_from_configuration_authenticate()
    {
        using var shop = server.Shop();

        var response = await shop.GetAsync("/v2/Services", Ct);

        var body = await TwilioServer.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(TwilioServer.ShopAccount, body["services"]![0]!["account_sid"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_issued_account_and_its_api_key_authenticate_as_that_account()
    {
        var account = await server.IssueAsync(new { service = "shop", friendlyName = "web" });
        var key = await server.IssueAsync(new { accountSid = account["sid"]!.GetValue<string>() });
        Assert.Matches("^AC[0-9a-f]{32}$", account["sid"]!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", account["authToken"]!.GetValue<string>());
        Assert.Matches("^SK[0-9a-f]{32}$", key["sid"]!.GetValue<string>());

        using var asAccount = server.Twilio(account["sid"]!.GetValue<string>(), account["authToken"]!.GetValue<string>());
        using var asKey = server.Twilio(key["sid"]!.GetValue<string>(), key["secret"]!.GetValue<string>());
        var byAccount = await TwilioServer.JsonAsync(await asAccount.GetAsync("/v2/Services", Ct), HttpStatusCode.OK);
        var byKey = await TwilioServer.JsonAsync(await asKey.GetAsync("/v2/Services", Ct), HttpStatusCode.OK);

        Assert.Equal(account["sid"]!.GetValue<string>(), byKey["services"]![0]!["account_sid"]!.GetValue<string>());
        Assert.Equal(byAccount["services"]!.ToJsonString(), byKey["services"]!.ToJsonString());
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("unknown-sid")]
    [InlineData("none")]
    [InlineData("bearer")]
    public async Task A_wrong_secret_an_unknown_sid_or_no_basic_credentials_get_20003(string what)
    {
        using var client = what switch
        {
            "wrong-secret" => server.Twilio(TwilioServer.ShopAccount, "not-the-token-0123456789"),
            "unknown-sid" => server.Twilio("AC" + new string('7', 32), TwilioServer.ShopToken),
            "bearer" => server.Api(TwilioServer.AdminKey),
            _ => server.CreateClient(),
        };

        var response = await client.GetAsync("/v2/Services", Ct);

        Assert.Equal("Authenticate", await TwilioServer.ErrorAsync(response, 20003, HttpStatusCode.Unauthorized));
        Assert.StartsWith("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_account_and_its_keys_are_refused_from_the_next_request()
    {
        var account = await server.IssueAsync(new { service = "shop" });
        var key = await server.IssueAsync(new { accountSid = account["sid"]!.GetValue<string>() });
        using var asKey = server.Twilio(key["sid"]!.GetValue<string>(), key["secret"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await asKey.GetAsync("/v2/Services", Ct)).StatusCode);

        using var admin = server.Api(TwilioServer.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/twilio-credentials/{account["sid"]}", Ct)).StatusCode);

        await TwilioServer.ErrorAsync(await asKey.GetAsync("/v2/Services", Ct), 20003, HttpStatusCode.Unauthorized);
        using var asAccount = server.Twilio(account["sid"]!.GetValue<string>(), account["authToken"]!.GetValue<string>());
        await TwilioServer.ErrorAsync(await asAccount.GetAsync("/v2/Services", Ct), 20003, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/v1/twilio-credentials/{key["sid"]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_token_is_shown_once_and_only_its_digest_is_stored()
    {
        var account = await server.IssueAsync(new { service = "other", friendlyName = "digest" });
        var token = account["authToken"]!.GetValue<string>();

        using var admin = server.Api(TwilioServer.AdminKey);
        var listed = await admin.GetStringAsync("/v1/twilio-credentials?service=other", Ct);
        await using var connection = await server.Services.GetRequiredService<Database>().OpenAsync(Ct);
        var stored = (await connection.QueryAsync<(string, string, string)>(
            "SELECT sid, friendly_name, secret_sha256 FROM twilio_credentials WHERE sid = @sid", new { sid = account["sid"]!.GetValue<string>() })).Single();

        Assert.Contains(account["sid"]!.GetValue<string>(), listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stored.ToString(), StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), stored.Item3);
        Assert.DoesNotContain(server.Logs.Entries, entry => entry.Text.Contains(token, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"service":"nope"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"service":"shop","admin":true}""", HttpStatusCode.BadRequest)]
    [InlineData("""{}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"accountSid":"AC00000000000000000000000000000000"}""", HttpStatusCode.NotFound)]
    [InlineData("""{"accountSid":"AC00000000000000000000000000000000","service":"shop"}""", HttpStatusCode.BadRequest)]
    public async Task Issuing_with_bad_input_is_a_clear_4xx(string body, HttpStatusCode status)
    {
        using var admin = server.Api(TwilioServer.AdminKey);

        var response = await admin.PostAsync("/v1/twilio-credentials", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, response.StatusCode);
        Assert.False(string.IsNullOrEmpty((await Support.ServerFactory.ProblemAsync(response))["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task Only_admin_keys_issue_credentials()
    {
        using var plain = server.Api();

        var response = await plain.PostAsJsonAsync("/v1/twilio-credentials", new { service = "shop" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (await Support.ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }
}
