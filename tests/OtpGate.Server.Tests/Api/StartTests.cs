using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Api;

public sealed class StartTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_creates_a_verification_with_201_and_its_location()
    {
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), purpose = "signup", clientRef = "u-1" }, Ct);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/v1/verifications/{body["id"]}", response.Headers.Location!.ToString());
        Assert.Equal("pending", body["status"]!.GetValue<string>());
        Assert.Equal(5, body["attemptsLeft"]!.GetValue<int>());
        Assert.NotNull(body["resendAvailableAt"]);
        Assert.Equal("u-1", body["clientRef"]!.GetValue<string>());
        Assert.DoesNotContain("code\"", body.ToJsonString().Replace("errorCode", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_while_one_is_pending_returns_it_with_200()
    {
        var phone = server.NextPhone();
        var first = await server.StartAsync(phone);
        using var api = server.Api();

        var again = await api.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first["id"]!.GetValue<string>(), (await again.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_same_idempotency_key_with_the_same_request_returns_the_same_verification()
    {
        using var api = server.Api();
        var phone = server.NextPhone();
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = JsonContent.Create(new { phone }) };
        first.Headers.Add("Idempotency-Key", "order-42");
        var a = await api.SendAsync(first, Ct);
        using var second = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications") { Content = JsonContent.Create(new { phone }) };
        second.Headers.Add("Idempotency-Key", "order-42");
        var b = await api.SendAsync(second, Ct);

        Assert.Equal(HttpStatusCode.Created, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal((await a.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.ToString(), (await b.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!.ToString());
    }

    [Fact]
    public async Task An_invalid_phone_is_400_invalid_phone_saying_what_is_wrong()
    {
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+1 212 555" }, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_phone", problem["code"]!.GetValue<string>());
        Assert.Contains("too short", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_country_is_403_country_not_allowed()
    {
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+44 20 7946 0958" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("country_not_allowed", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_field_the_engine_refuses_is_400_invalid_request()
    {
        using var api = server.Api();
        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone(), purpose = "no spaces allowed" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Too_many_codes_to_one_phone_is_429_rate_limited_with_retry_after()
    {
        var phone = server.NextPhone();
        using var api = server.Api();
        for (var i = 0; i < 5; i++)
        {
            var started = await server.StartAsync(phone);
            (await api.PostAsync($"/v1/verifications/{started["id"]}/cancel", null, Ct)).EnsureSuccessStatusCode();
        }

        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("rate_limited", problem["code"]!.GetValue<string>());
        Assert.Equal("phone_sends_10m", problem["limit"]!.GetValue<string>());
        Assert.True(response.Headers.RetryAfter!.Delta > TimeSpan.Zero);
        Assert.Equal(problem["retryAfter"]!.GetValue<int>(), (int)response.Headers.RetryAfter.Delta!.Value.TotalSeconds);
    }

    [Theory]
    [InlineData("{\"phone\": ", "application/json", 400, "invalid_request")]
    [InlineData("{\"phone\": \"+1 212 555 0100\", \"phoen\": 1}", "application/json", 400, "invalid_request")]
    [InlineData("{\"phone\": 12125550100}", "application/json", 400, "invalid_request")]
    [InlineData("[1, 2]", "application/json", 400, "invalid_request")]
    [InlineData("", "application/json", 400, "invalid_request")]
    [InlineData("null", "application/json", 400, "invalid_request")]
    [InlineData("phone=+12125550100", "application/x-www-form-urlencoded", 415, "unsupported_media_type")]
    [InlineData("{\"phone\": \"+1 212 555 0100\"}", "text/plain", 415, "unsupported_media_type")]
    public async Task Unreadable_bodies_get_a_4xx_problem_detail_never_a_500(string body, string contentType, int status, string code)
    {
        using var api = server.Api();
        using var content = new StringContent(body, Encoding.UTF8, contentType);
        var response = await api.PostAsync("/v1/verifications", content, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
    }

    [Fact]
    public async Task An_unknown_field_is_named_in_the_problem()
    {
        using var api = server.Api();
        var response = await api.PostAsync("/v1/verifications", new StringContent("{\"phone\": \"+1 212 555 0100\", \"phoen\": 1}", Encoding.UTF8, "application/json"), Ct);

        Assert.Contains("\"phoen\"", (await ServerFactory.ProblemAsync(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_body_is_413_payload_too_large()
    {
        using var api = server.Api();
        var huge = "{\"phone\": \"" + new string('1', 40_000) + "\"}";
        var response = await api.PostAsync("/v1/verifications", new StringContent(huge, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (await ServerFactory.ProblemAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_problem_details_too()
    {
        using var api = server.Api();
        var missing = await api.GetAsync("/v1/nothing-here", Ct);
        var method = await api.DeleteAsync("/v1/verifications/vf_x", Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("not_found", (await ServerFactory.ProblemAsync(missing))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("method_not_allowed", (await ServerFactory.ProblemAsync(method))["code"]!.GetValue<string>());
    }
}
