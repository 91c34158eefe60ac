using System.Net;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Api;

public sealed class TokenTests(SharedSandbox shared) : IClassFixture<SharedSandbox>
{
    private readonly SandboxApi _api = shared.Api;

    private static HttpRequestMessage Send(string query, string? bearer, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{query}")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return request;
    }

    private Task<ApiAnswer> SendAsync(string? bearer, string? query = null, string? bodyToken = null)
    {
        var body = Requests.Otp("4430" + Random.Shared.Next(1_000_000, 9_999_999));
        if (bodyToken is not null)
        {
            body["token"] = bodyToken;
        }

        return _api.SendRequestAsync(Send($"{_api.ChannelUrl}/sendTemplate{query}", bearer, body.ToJsonString()));
    }

    [Fact]
    public async Task Bearer_header_token_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("sandbox-token")).Status);
    }

    [Fact]
    public async Task Query_token_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bearer: null, query: "?token=sandbox-token")).Status);
    }

    [Fact]
    public async Task Body_token_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bearer: null, bodyToken: "sandbox-token")).Status);
    }

    [Fact]
    public async Task Missing_token_is_answered_401()
    {
        var answer = await SendAsync(bearer: null);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(
            """{"error":"Wrong token \"\" for channel \"sandbox\". Please provide token as a GET parameter or a Bearer header."}""",
            answer.Text);
    }

    [Fact]
    public async Task Wrong_token_is_answered_401_with_only_its_first_characters()
    {
        var answer = await SendAsync("secret-guess-1234567");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(
            "Wrong token \"sec***\" for channel \"sandbox\". Please provide token as a GET parameter or a Bearer header.",
            answer.Json["error"]!.GetValue<string>());
        Assert.DoesNotContain("guess", answer.Text);
    }

    [Fact]
    public async Task Short_wrong_token_is_masked_entirely()
    {
        var answer = await SendAsync("abcd");
        Assert.Contains("\\\"***\\\"", answer.Text);
        Assert.DoesNotContain("abc", answer.Text);
    }

    [Fact]
    public async Task Stale_body_token_overrides_a_good_header()
    {
        var answer = await SendAsync("sandbox-token", bodyToken: "old-token-value");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Contains("\"old***\"", answer.Json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stale_query_token_overrides_a_good_header()
    {
        var answer = await SendAsync("sandbox-token", query: "?token=old-token-value");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task Good_body_token_wins_over_a_wrong_header()
    {
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("wrong-header-token", bodyToken: "sandbox-token")).Status);
    }

    [Fact]
    public async Task Other_channel_id_is_answered_401()
    {
        using var other = new SandboxApi(shared.Sandbox.Server.BaseUrl, "VID182868781");
        var answer = await other.GetAsync("status");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Contains("for channel \"VID182868781\"", answer.Json["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("templates")]
    [InlineData("webhook")]
    [InlineData("settings")]
    [InlineData("hookInfo?messageId=wamid.x")]
    [InlineData("status")]
    public async Task Every_get_method_needs_the_token(string method)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _api.GetAsync(method, bearer: "")).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(method)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync(method + (method.Contains('?') ? "&" : "?") + "token=sandbox-token", bearer: "")).Status);
    }
}
