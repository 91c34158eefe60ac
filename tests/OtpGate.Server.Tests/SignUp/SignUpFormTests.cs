using System.Net;
using System.Text.RegularExpressions;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

public sealed partial class SignUpFormTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();

    private static async Task<HttpResponseMessage> PostSignUpAsync(HttpClient client, string phone)
    {
        var page = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        var token = AntiForgeryToken().Match(page).Groups[1].Value;
        return await client.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Name"] = "Ada",
            ["Phone"] = phone,
        }), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Sign_up_posts_from_one_address_are_limited_per_minute()
    {
        await using var server = new CustomServer(new() { ["Api:RateLimit:PerIpPerMinute"] = "3" });
        await server.InitializeAsync();
        using var client = server.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = server.Root });

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await PostSignUpAsync(client, "not a number");
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task A_form_post_without_the_anti_forgery_token_is_refused_and_sends_nothing()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        using var client = server.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = server.Root });
        await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        using var response = await client.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string> { ["Name"] = "Ada", ["Phone"] = "+1 212 555 0188" }), TestContext.Current.CancellationToken);
        var messages = await client.GetStringAsync("/sandbox/_sandbox/messages?phone=12125550188", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("[]", messages.Trim());
    }
}
