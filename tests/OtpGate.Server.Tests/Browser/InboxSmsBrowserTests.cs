using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using OtpGate.Sandbox;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// The sandbox's phone inbox shows an SMS from its Twilio stand-in in the same chat as the number's WhatsApp messages,
/// in the order they came, as a plain text bubble marked SMS.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class InboxSmsBrowserTests(BrowserFixture fixture)
{
    /// <summary>The SMS stand-in's number whose SMS is sent, then undelivered (Twilio's 30003).</summary>
    private const string SmsUndelivered = "+12125550121";

    [Fact]
    public async Task An_SMS_is_a_plain_bubble_marked_SMS_after_the_WhatsApp_message_of_the_same_number()
    {
        await using var context = await fixture.NewContextAsync(BrowserFixture.DesktopWidth, 900);
        var phone = NextDeliveredBySms();
        var digits = Digits(phone);
        await fixture.Server.StartAsync(phone);
        var whatsAppCode = await fixture.Server.ReadCodeAsync(phone);
        await SendSmsAsync("+" + digits, "Your OtpGate code is 482913. It expires in 10 minutes.");

        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync($"/sandbox/inbox?phone={digits}");
        var messages = inbox.Locator("[data-testid='message']");
        await Assertions.Expect(messages).ToHaveCountAsync(2);

        // In time order: the WhatsApp template first, with its button; then the SMS, its text as sent, marked SMS.
        var whatsApp = messages.Nth(0);
        await Assertions.Expect(whatsApp).ToHaveAttributeAsync("data-channel", "whatsapp");
        await Assertions.Expect(whatsApp.Locator("[data-testid='message-body']")).ToContainTextAsync(whatsAppCode);
        await Assertions.Expect(whatsApp.Locator("[data-testid='copy-code']")).ToBeVisibleAsync();
        var sms = messages.Nth(1);
        await Assertions.Expect(sms).ToHaveAttributeAsync("data-channel", "sms");
        await Assertions.Expect(sms.Locator("[data-testid='channel-label']")).ToHaveTextAsync("SMS");
        await Assertions.Expect(sms.Locator("[data-testid='channel-label']")).ToBeVisibleAsync();
        await Assertions.Expect(sms.Locator("[data-testid='message-body']")).ToHaveTextAsync("Your OtpGate code is 482913. It expires in 10 minutes.");
        await Assertions.Expect(sms.Locator("[data-testid='copy-code']")).ToHaveCountAsync(0);
        await Assertions.Expect(sms.GetByText("OtpGate", new() { Exact = true })).ToHaveCountAsync(0);
        await Assertions.Expect(sms.Locator("[data-testid='delivery-status']")).ToHaveAttributeAsync("data-status", "delivered");

        // The chat list previews the latest message as an SMS.
        await Assertions.Expect(inbox.Locator($"[data-testid='chat-{digits}'] .preview-text")).ToHaveTextAsync("SMS: Your OtpGate code is 482913. It expires in 10 minutes.");
        await BrowserFixture.ScreenshotAsync(inbox, "f-inbox-sms");
    }

    [Fact]
    public async Task An_undelivered_SMS_shows_the_failure_and_Twilio_s_error()
    {
        await using var context = await fixture.NewContextAsync(BrowserFixture.DesktopWidth, 900);
        await SendSmsAsync(SmsUndelivered, "Your OtpGate code is 731905.");

        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync($"/sandbox/inbox?phone={Digits(SmsUndelivered)}");
        var sms = inbox.Locator("[data-channel='sms']").Last;
        await Assertions.Expect(sms.Locator("[data-testid='delivery-status']")).ToHaveAttributeAsync("data-status", "failed");
        await Assertions.Expect(inbox.Locator(".failure").Last).ToHaveTextAsync("SMS not delivered: Twilio error 30003");
    }

    /// <summary>Posts an SMS to the embedded sandbox's Twilio stand-in, as Twilio's API takes it.</summary>
    private async Task SendSmsAsync(string to, string body)
    {
        var account = fixture.Server.Services.GetRequiredService<IOptions<SandboxOptions>>().Value.Sms;
        using var client = fixture.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/sandbox/2010-04-01/Accounts/{account.AccountSid}/Messages.json")
        {
            Content = new FormUrlEncodedContent([new("To", to), new("From", "+15005550006"), new("Body", body)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>The shared server's next number, past the SMS stand-in's scenario numbers (121 to 126), whose SMS is delivered.</summary>
    private string NextDeliveredBySms()
    {
        while (true)
        {
            var phone = fixture.Server.NextPhone();
            if (Digits(phone) is not ("12125550121" or "12125550122" or "12125550123" or "12125550124" or "12125550125" or "12125550126"))
            {
                return phone;
            }
        }
    }

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);
}
