using System.Net;
using System.Text.RegularExpressions;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Api;

/// <summary>
/// Each open event stream holds memory on the server and costs its opener nothing, so a few are allowed per sign-up
/// session and per address, and a number per API key; past that the answer is 429 with Retry-After. Real streams, held
/// open over real connections.
/// </summary>
public sealed partial class EventStreamLimitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();

    /// <summary>A browser that has signed up with <paramref name="phone"/>: its cookie names the sign-up session.</summary>
    private static async Task<HttpClient> SignedUpBrowserAsync(CustomServer server, string phone)
    {
        var browser = server.CreateClient();
        var page = await browser.GetStringAsync("/", Ct);
        using var posted = await browser.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiForgeryToken().Match(page).Groups[1].Value,
            ["Name"] = "Ada",
            ["Phone"] = phone,
        }), Ct);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        return browser;
    }

    private static Task<HttpResponseMessage> OpenAsync(HttpClient client, string path) =>
        client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, Ct);

    /// <summary>Opens a stream as soon as a slot is free again (a closed stream frees its slot when the server sees it go).</summary>
    private static async Task<HttpResponseMessage> OpenWhenFreeAsync(HttpClient client, string path)
    {
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(15);
        while (true)
        {
            var response = await OpenAsync(client, path);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || TimeProvider.System.GetUtcNow() > deadline)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task Sign_up_streams_are_capped_per_session_and_per_address_and_a_closed_stream_frees_its_slot()
    {
        await using var server = new CustomServer(new() { ["Api:EventStreams:PerSession"] = "2", ["Api:EventStreams:PerAddress"] = "3" });
        await server.InitializeAsync();
        using var first = await SignedUpBrowserAsync(server, server.NextPhone());
        using var second = await SignedUpBrowserAsync(server, server.NextPhone());

        var open = new List<HttpResponseMessage> { await OpenAsync(first, "/signup/events"), await OpenAsync(first, "/signup/events") };
        using var overSession = await OpenAsync(first, "/signup/events");
        open.Add(await OpenAsync(second, "/signup/events"));
        using var overAddress = await OpenAsync(second, "/signup/events");
        open[0].Dispose();
        using var again = await OpenWhenFreeAsync(second, "/signup/events");

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, overSession.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), overSession.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.TooManyRequests, overAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        open.ForEach(r => r.Dispose());
    }

    [Fact]
    public async Task Api_streams_are_capped_per_key_with_a_429_problem_and_a_closed_stream_frees_its_slot()
    {
        await using var server = new CustomServer(new() { ["Api:EventStreams:PerKey"] = "2" });
        await server.InitializeAsync();
        using var api = server.Api();
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        var path = $"/v1/verifications/{id}/events";

        var open = new List<HttpResponseMessage> { await OpenAsync(api, path), await OpenAsync(api, path) };
        using var over = await OpenAsync(api, path);
        var problem = await ServerFactory.ProblemAsync(over);
        open[0].Dispose();
        using var again = await OpenWhenFreeAsync(api, path);

        Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.Equal("too_many_streams", problem["code"]!.GetValue<string>());
        Assert.Equal(10, problem["retryAfter"]!.GetValue<int>());
        Assert.Equal(TimeSpan.FromSeconds(10), over.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        open.ForEach(r => r.Dispose());
    }
}
