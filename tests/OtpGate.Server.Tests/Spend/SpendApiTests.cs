using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Spend;

/// <summary>
/// A spend cap seen from outside: the API caller (an integrator's backend) gets 429 <c>spend_cap_reached</c> naming the
/// cap, with <c>Retry-After</c>; the sign-up page's visitor only learns that codes cannot be sent now; operators read the
/// totals at <c>GET /v1/spend</c>. Every message costs 1 here and the overall daily cap is 2.
/// </summary>
public sealed partial class SpendApiTests
{
    private const string AdminKey = "key-admin-0123456789abcdefghij";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();

    private static async Task<CustomServer> StartServerAsync()
    {
        var server = new CustomServer(new()
        {
            ["Spend:Prices:whatsapp:Default"] = "1",
            ["Spend:DailyCap"] = "2",
            ["Api:AdminKeys:ops"] = AdminKey,
        });
        await server.InitializeAsync();
        return server;
    }

    [Fact]
    public async Task The_start_past_the_cap_is_429_spend_cap_reached_naming_the_cap_with_retry_after()
    {
        await using var server = await StartServerAsync();
        using var api = server.Api();
        await server.StartAsync(server.NextPhone());
        await server.StartAsync(server.NextPhone());

        var response = await api.PostAsJsonAsync("/v1/verifications", new { phone = server.NextPhone() }, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(("spend_cap_reached", "overall_daily"), (problem["code"]!.GetValue<string>(), problem["limit"]!.GetValue<string>()));
        Assert.Contains("The overall daily spend cap (2.00 USD, Spend:DailyCap) is reached", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var wait = response.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1));
        Assert.Equal(problem["retryAfter"]!.GetValue<int>(), (int)wait.TotalSeconds);
    }

    [Fact]
    public async Task The_sign_up_page_says_only_that_codes_cannot_be_sent_now()
    {
        await using var server = await StartServerAsync();
        await server.StartAsync(server.NextPhone());
        await server.StartAsync(server.NextPhone());
        using var browser = server.CreateClient(new() { BaseAddress = server.Root });
        var form = await browser.GetStringAsync("/", Ct);

        using var posted = await browser.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AntiForgeryToken().Match(form).Groups[1].Value,
            ["Name"] = "Ada",
            ["Phone"] = server.NextPhone(),
        }), Ct);
        var page = WebUtility.HtmlDecode(await posted.Content.ReadAsStringAsync(Ct));

        Assert.Contains("Codes cannot be sent right now; try again later.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("spend", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2.00", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operators_read_today_and_this_month_against_the_caps_with_an_admin_key_only()
    {
        await using var server = await StartServerAsync();
        await server.StartAsync(server.NextPhone());
        using var admin = server.Api(AdminKey);
        using var service = server.Api();

        var report = (await admin.GetFromJsonAsync<JsonObject>("/v1/spend", Ct))!;
        using var refused = await service.GetAsync("/v1/spend", Ct);

        Assert.Equal("USD", report["currency"]!.GetValue<string>());
        var overall = report["overall"]!.AsObject();
        Assert.Equal((1m, 1m, 1L, 2m), (overall["today"]!.GetValue<decimal>(), overall["month"]!.GetValue<decimal>(), overall["sendsToday"]!.GetValue<long>(), overall["dailyCap"]!.GetValue<decimal>()));
        Assert.Null(overall["monthlyCap"]);
        var line = Assert.Single(report["services"]!.AsArray(), s => s!["service"]!.GetValue<string>() == "default")!;
        Assert.Equal(1m, line["spend"]!["today"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_service_gets_its_own_caps_through_the_admin_API_and_a_negative_one_is_400()
    {
        await using var server = await StartServerAsync();
        using var admin = server.Api(AdminKey);

        using var created = await admin.PostAsJsonAsync("/v1/services", new { id = "shop", settings = new { spend = new { dailyCap = 5 } } }, Ct);
        using var negative = await admin.PostAsJsonAsync("/v1/services", new { id = "club", settings = new { spend = new { monthlyCap = -1 } } }, Ct);
        var report = (await admin.GetFromJsonAsync<JsonObject>("/v1/spend", Ct))!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
        Assert.Contains("settings.spend caps (dailyCap, monthlyCap) must be 0 (no cap) or a positive amount", (await ServerFactory.ProblemAsync(negative))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var shop = Assert.Single(report["services"]!.AsArray(), s => s!["service"]!.GetValue<string>() == "shop")!;
        Assert.Equal(5m, shop["spend"]!["dailyCap"]!.GetValue<decimal>());
    }
}
