using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Api;

/// <summary>
/// Reproduction 2: one API key never sees, changes or learns of another key's verifications. To another key a
/// verification answers exactly as an id that was never issued.
/// </summary>
public sealed class IsolationTests(TwoKeysServer server) : IClassFixture<TwoKeysServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_key_gets_404_for_reading_checking_resending_canceling_and_watching()
    {
        using var t = server.Api(TwoKeysServer.KeyT);
        using var u = server.Api(TwoKeysServer.KeyU);
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone, t))["id"]!.GetValue<string>();
        var code = await server.ReadCodeAsync(phone);
        var unknown = await ProblemOf(await u.GetAsync("/v1/verifications/vf_never_issued", Ct));

        foreach (var response in new[]
        {
            await u.GetAsync($"/v1/verifications/{id}", Ct),
            await u.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct),
            await u.PostAsync($"/v1/verifications/{id}/resend", null, Ct),
            await u.PostAsync($"/v1/verifications/{id}/cancel", null, Ct),
            await u.GetAsync($"/v1/verifications/{id}/events", Ct),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var problem = await ProblemOf(response);
            Assert.Equal(unknown.ToJsonString(), problem.ToJsonString());
        }

        // Nothing changed for t: still pending with every attempt, one message sent, and the right code approves it.
        var mine = await (await t.GetAsync($"/v1/verifications/{id}", Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("pending", mine!["status"]!.GetValue<string>());
        Assert.Equal(5, mine["attemptsLeft"]!.GetValue<int>());
        Assert.Single(mine["sends"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await t.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Another_keys_start_for_a_phone_pending_with_one_key_gets_its_own_verification_and_nothing_of_the_first()
    {
        using var t = server.Api(TwoKeysServer.KeyT);
        using var u = server.Api(TwoKeysServer.KeyU);
        var phone = server.NextPhone();
        var first = await (await t.PostAsJsonAsync("/v1/verifications",
            new { phone, clientRef = "t-customer-7", metadata = new Dictionary<string, string> { ["plan"] = "gold" } }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);

        var response = await u.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(first!["id"]!.GetValue<string>(), body, StringComparison.Ordinal);
        Assert.DoesNotContain("t-customer-7", body, StringComparison.Ordinal);
        Assert.DoesNotContain("gold", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_idempotency_key_belongs_to_the_key_that_sent_it()
    {
        using var t = server.Api(TwoKeysServer.KeyT);
        using var u = server.Api(TwoKeysServer.KeyU);
        var tPhone = server.NextPhone();
        var uPhone = server.NextPhone();
        var tResponse = await SendWithKeyAsync(t, tPhone, "order-42");

        var uResponse = await SendWithKeyAsync(u, uPhone, "order-42");
        var body = await uResponse.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Created, tResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, uResponse.StatusCode);
        Assert.DoesNotContain(Digits(tPhone), body, StringComparison.Ordinal);
        Assert.Contains(Digits(uPhone), body, StringComparison.Ordinal);
        Assert.Matches("^[0-9]{6}$", await server.ReadCodeAsync(uPhone)); // u's code was really sent
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_body_is_422_idempotency_key_reused()
    {
        using var t = server.Api(TwoKeysServer.KeyT);
        var first = await SendWithKeyAsync(t, server.NextPhone(), "order-43");
        var other = server.NextPhone();

        var reused = await SendWithKeyAsync(t, other, "order-43");
        var problem = await ServerFactory.ProblemAsync(reused);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("idempotency_key_reused", problem["code"]!.GetValue<string>());
        Assert.Contains("different request", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(problem["verification"]);
        using var sandbox = server.CreateClient();
        Assert.Empty((await sandbox.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={Digits(other)}", Ct))!);
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(HttpClient api, string phone, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = JsonContent.Create(new { phone }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await api.SendAsync(request, Ct);
    }

    // The problem without the members that differ per request (trace id).
    private static async Task<JsonObject> ProblemOf(HttpResponseMessage response)
    {
        var problem = await ServerFactory.ProblemAsync(response);
        problem.Remove("traceId");
        return problem;
    }

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);
}
