using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.SignUp;

/// <summary>
/// "Send by SMS instead" on the code page: a form post (anti-forgery token and all) that sends the same code by SMS,
/// at once (a change of channel waits out no resend cooldown), refused as a resend is past a limit.
/// </summary>
public sealed class SendBySmsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Send_by_SMS_sends_the_same_code_by_SMS_and_the_page_says_so()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        var phone = server.NextPhone();
        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", phone)).Dispose();
        var whatsAppCode = await server.ReadCodeAsync(phone);

        using var asked = await visitor.AskForSmsAsync();
        var page = await visitor.FollowAsync(asked);

        Assert.Contains(">We sent the code by SMS.</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"form-error\"", page, StringComparison.Ordinal);
        // The offer is gone: the code went by SMS, it is not offered twice.
        Assert.Contains("id=\"sms-offer\" hidden=\"hidden\"", page, StringComparison.Ordinal);
        var sms = await WaitForSmsAsync(server, phone);
        Assert.Equal(whatsAppCode, sms["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Send_by_SMS_past_the_phone_s_SMS_cap_is_refused_as_a_resend_is_and_sends_nothing_more()
    {
        await using var server = new CustomServer(new() { ["Verification:Sms:MaxPerPhonePerDay"] = "1" });
        await server.InitializeAsync();
        var phone = server.NextPhone();
        using (var first = new SignUpVisitor(server))
        {
            (await first.SignUpAsync("Ada", phone)).Dispose();
            (await first.AskForSmsAsync()).Dispose();
            await WaitForSmsAsync(server, phone);
        }

        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", phone)).Dispose();
        using var asked = await visitor.AskForSmsAsync();
        var page = await visitor.FollowAsync(asked);

        Assert.Matches("<p class=\"error\" id=\"form-error\" role=\"alert\">Too many codes were sent to this number by SMS today; try again in [^<]+\\.</p>", page);
        Assert.Contains("id=\"sms-notice\" role=\"status\" aria-live=\"polite\"></p>", page, StringComparison.Ordinal);
        await server.WaitForSendsAsync(phone);
        Assert.Single(await MessagesAsync(server, phone), m => m!["channel"]!.GetValue<string>() == "sms");
    }

    [Fact]
    public async Task Send_by_SMS_without_the_anti_forgery_token_is_refused_and_sends_nothing()
    {
        await using var server = new CustomServer(null);
        await server.InitializeAsync();
        var phone = server.NextPhone();
        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", phone)).Dispose();
        await server.ReadCodeAsync(phone);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Root };
        using var post = new HttpRequestMessage(HttpMethod.Post, "/Verify?handler=SendSms") { Content = new FormUrlEncodedContent([]) };
        post.Headers.Add("Cookie", visitor.CookieHeader);

        using var answer = await client.SendAsync(post, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        await server.WaitForSendsAsync(phone);
        Assert.DoesNotContain(await MessagesAsync(server, phone), m => m!["channel"]!.GetValue<string>() == "sms");
    }

    [Fact]
    public async Task Once_the_code_went_by_SMS_Resend_code_sends_it_by_SMS_again()
    {
        await using var server = new CustomServer(new() { ["Verification:ResendCooldown"] = "00:00:00" });
        await server.InitializeAsync();
        const string notOnWhatsApp = "+1 212 555 0101";
        using var visitor = new SignUpVisitor(server);
        (await visitor.SignUpAsync("Ada", notOnWhatsApp)).Dispose();
        await WaitForSmsCountAsync(server, notOnWhatsApp, 1);

        using var resent = await visitor.AskForNewCodeAsync();
        var page = await visitor.FollowAsync(resent);

        Assert.Contains(">We sent the code again by SMS.</p>", page, StringComparison.Ordinal);
        var messages = await WaitForSmsCountAsync(server, notOnWhatsApp, 2);
        Assert.Single(messages, m => m!["channel"]!.GetValue<string>() == "whatsapp");
    }

    /// <summary>The phone's messages once <paramref name="count"/> SMS reached the sandbox (a fallback comes with WhatsApp's failure).</summary>
    private static async Task<JsonArray> WaitForSmsCountAsync(ServerFactory server, string phone, int count)
    {
        for (var i = 0; i < 300; i++)
        {
            var messages = await MessagesAsync(server, phone);
            if (messages.Count(m => m!["channel"]!.GetValue<string>() == "sms") >= count)
            {
                return messages;
            }

            await Task.Delay(50, Ct);
        }

        throw new InvalidOperationException($"{count} SMS never reached {phone} in the sandbox.");
    }

    private static async Task<JsonArray> MessagesAsync(ServerFactory server, string phone)
    {
        using var client = server.CreateClient();
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        return (await client.GetFromJsonAsync<JsonArray>($"/sandbox/_sandbox/messages?phone={digits}", Ct))!;
    }

    /// <summary>The phone's SMS in the sandbox, once the dispatcher handed it over.</summary>
    private static async Task<JsonNode> WaitForSmsAsync(ServerFactory server, string phone)
    {
        await server.WaitForSendsAsync(phone);
        return Assert.Single(await MessagesAsync(server, phone), m => m!["channel"]!.GetValue<string>() == "sms")!;
    }
}
