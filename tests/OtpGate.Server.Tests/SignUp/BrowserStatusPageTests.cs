using System.Net;
using System.Net.Http.Headers;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>A mistyped address: an HTML page for a browser, the problem detail for an API client; and an icon, not a 404.</summary>
public sealed class BrowserStatusPageTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What Chromium sends with a navigation.</summary>
    private const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

    private async Task<HttpResponseMessage> GetAsync(string path, string? accept)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_browser_gets_an_html_page_for_a_mistyped_address()
    {
        using var response = await GetAsync("/Verfy", BrowserAccept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var page = await response.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<h1>Page not found</h1>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/\"", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*/*")]
    [InlineData("application/json")]
    [InlineData("text/html;q=0, application/json")]
    public async Task An_api_client_keeps_the_json_problem_detail(string? accept)
    {
        using var response = await GetAsync("/v1/verificationz", accept);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await ServerFactory.ProblemAsync(response);
        Assert.Equal("not_found", problem["code"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/favicon.ico", "image/x-icon")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    public async Task The_icon_is_served(string path, string type)
    {
        using var response = await GetAsync(path, "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
    }
}
