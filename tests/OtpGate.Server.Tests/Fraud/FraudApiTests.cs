using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Fraud;

/// <summary>A server with an admin key (the fraud guard's counting is off in test servers; the operator's lists apply).</summary>
public sealed class FraudServer() : ServerFactory(new Dictionary<string, string?> { ["Api:AdminKeys:ops"] = AdminKey })
{
    public const string AdminKey = "key-admin-0123456789abcdefghij";
}

/// <summary><c>/v1/fraud</c> with an admin key, and what a start refused by the guard answers: the API's 403 and the sign-up page's sentence.</summary>
public sealed class FraudApiTests(FraudServer server) : IClassFixture<FraudServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_blocked_number_is_refused_with_fraud_suspected_and_nothing_to_tune_with_until_it_is_unblocked()
    {
        using var admin = server.Api(FraudServer.AdminKey);
        using var api = server.Api();
        var phone = server.NextPhone();
        using var blocked = await admin.PostAsJsonAsync("/v1/fraud/block", new { number = phone }, Ct);
        Assert.Equal(HttpStatusCode.OK, blocked.StatusCode);

        using var refused = await api.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);
        var problem = (await refused.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("fraud_suspected", problem["code"]!.GetValue<string>());
        Assert.Equal("Verification codes cannot be sent to this number right now; try again later or use another number.", problem["detail"]!.GetValue<string>());
        Assert.False(refused.Headers.Contains("Retry-After"));
        Assert.Null(problem["retryAfter"]);
        Assert.Null(problem["limit"]);

        var status = (await admin.GetFromJsonAsync<JsonObject>("/v1/fraud", Ct))!;
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        Assert.DoesNotContain(digits, status.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(status["rules"]!.AsArray(), r => r!["target"]!.GetValue<string>() == "+" + digits[..2] + new string('*', digits.Length - 4) + digits[^2..]);

        using var unblocked = await admin.PostAsJsonAsync("/v1/fraud/unblock", new { number = phone }, Ct);
        using var again = await admin.PostAsJsonAsync("/v1/fraud/unblock", new { number = phone }, Ct);
        using var started = await api.PostAsJsonAsync("/v1/verifications", new { phone }, Ct);
        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.Created), (unblocked.StatusCode, again.StatusCode, started.StatusCode));
    }

    [Fact]
    public async Task An_allowed_number_in_a_blocked_prefix_starts_and_the_allow_can_be_taken_back()
    {
        using var admin = server.Api(FraudServer.AdminKey);
        using var api = server.Api();
        (await admin.PostAsJsonAsync("/v1/fraud/block", new { prefix = "+1 646 7" }, Ct)).Dispose();
        (await admin.PostAsJsonAsync("/v1/fraud/allow", new { number = "+1 646 755 0100" }, Ct)).Dispose();

        using var allowed = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 755 0100" }, Ct);
        using var other = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 755 0101" }, Ct);
        using var unallowed = await admin.PostAsJsonAsync("/v1/fraud/unallow", new { number = "+1 646 755 0100" }, Ct);
        using var afterwards = await api.PostAsJsonAsync("/v1/verifications", new { phone = "+1 646 755 0100", purpose = "login" }, Ct);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Forbidden, HttpStatusCode.NoContent, HttpStatusCode.Forbidden),
            (allowed.StatusCode, other.StatusCode, unallowed.StatusCode, afterwards.StatusCode));
    }

    [Theory]
    [InlineData("{\"prefix\": \"+1 abc\"}", "A prefix is a country calling code")]
    [InlineData("{\"number\": \"+1 212\"}", "too short")]
    [InlineData("{}", "Name exactly one of a prefix")]
    public async Task A_target_that_is_neither_a_prefix_nor_a_number_is_a_400_that_says_why(string body, string reason)
    {
        using var admin = server.Api(FraudServer.AdminKey);

        using var answer = await admin.PostAsync("/v1/fraud/block", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = (await answer.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        Assert.Equal("invalid_request", problem["code"]!.GetValue<string>());
        Assert.Contains(reason, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_verification_key_may_not_manage_the_fraud_guard()
    {
        using var api = server.Api();

        using var answer = await api.PostAsJsonAsync("/v1/fraud/allow", new { prefix = "+1" }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
        Assert.Equal("forbidden", (await answer.Content.ReadFromJsonAsync<JsonObject>(Ct))!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_sign_up_page_says_one_generic_sentence_for_a_blocked_number()
    {
        using var admin = server.Api(FraudServer.AdminKey);
        var phone = server.NextPhone();
        (await admin.PostAsJsonAsync("/v1/fraud/block", new { number = phone }, Ct)).Dispose();
        using var visitor = new SignUpVisitor(server);

        using var answer = await visitor.SignUpAsync("Ada", phone);
        var page = await visitor.FollowAsync(answer);

        Assert.Contains("Verification codes cannot be sent to this number right now; try again later or use another number.", page, StringComparison.Ordinal);
    }
}
