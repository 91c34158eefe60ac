using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// The sign-up app when WhatsApp cannot bring the code: the embedded default sends it by SMS through the sandbox's
/// Twilio stand-in, the code page says so live, and the code read from the SMS bubble in the sandbox's phone inbox
/// completes sign-up. Each test has a server of its own: fresh per-phone limits (SMS has its own daily cap) and, for the
/// button, a short delivery deadline.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class SmsFallbackBrowserTests(BrowserFixture fixture)
{
    /// <summary>The sandbox's WhatsApp number that is accepted, then fails: not a WhatsApp user (131026).</summary>
    private const string NotOnWhatsApp = "+1 212 555 0101";

    /// <summary>The sandbox's WhatsApp number delivered slowly (after <c>Sandbox:SlowDeliveryAfter</c>).</summary>
    private const string SlowWhatsApp = "+1 212 555 0103";

    /// <summary>The sandbox's WhatsApp number 1MSG queues on its side: a job id, no message id, so no delivery news for it.</summary>
    private const string QueuedWhatsApp = "+1 212 555 0110";

    [Fact]
    public async Task On_a_number_without_WhatsApp_the_page_says_live_that_the_code_went_by_SMS_and_the_SMS_code_signs_up()
    {
        // The embedded default as a newcomer gets it: SMS through the sandbox's stand-in, automatic fallback on. WhatsApp's
        // failure comes a while after the send, as on a phone, so the page is usually there first and hears it live
        // (were the page slower, it would be rendered with the notice: the test asks no timing of it).
        await using var server = new CustomServer(new()
        {
            ["Sandbox:SentAfter"] = "00:00:02",
            ["Sandbox:DeliveredAfter"] = "00:00:02",
            ["Sandbox:ReadAfter"] = "00:00:02",
        });
        await server.InitializeAsync();
        await using var context = await fixture.NewContextAsync(server);

        var page = await BrowserFixture.SignUpAsync(context, "Sam Fallback", NotOnWhatsApp);
        await MarkLoadedAsync(page);

        var notice = page.Locator("#sms-notice");
        await Assertions.Expect(notice).ToHaveTextAsync("We couldn't reach your WhatsApp, so we sent the code by SMS.");
        await Assertions.Expect(notice).ToHaveAttributeAsync("aria-live", "polite");
        await AssertNotReloadedAsync(page);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("We sent the code by SMS");
        await Assertions.Expect(page.Locator("#delivery-text")).ToContainTextAsync("SMS");
        await Assertions.Expect(page.Locator("#failure")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "n-sms-fallback");

        var code = await ReadSmsCodeAsync(context, NotOnWhatsApp);
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Welcome, Sam Fallback!");
    }

    [Fact]
    public async Task When_WhatsApp_delivers_too_slowly_the_page_says_live_that_the_code_went_by_SMS_and_the_SMS_code_signs_up()
    {
        // WhatsApp delivers long after the test; the service's deadline is the shortest it may be.
        await using var server = new CustomServer(new()
        {
            ["Sandbox:SlowDeliveryAfter"] = "00:10:00",
            ["Verification:Sms:DeliveryDeadline"] = "00:00:05",
        });
        await server.InitializeAsync();
        await using var context = await fixture.NewContextAsync(server);

        var page = await BrowserFixture.SignUpAsync(context, "Ada Slow", SlowWhatsApp);
        await MarkLoadedAsync(page);

        await Assertions.Expect(page.Locator("#sms-notice")).ToHaveTextAsync("We couldn't reach your WhatsApp, so we sent the code by SMS.");
        await AssertNotReloadedAsync(page);
        await SignUpWithTheSmsCodeAsync(context, page, SlowWhatsApp);
    }

    [Fact]
    public async Task When_WhatsApp_never_says_it_delivered_Send_by_SMS_instead_appears_live_and_the_SMS_code_signs_up()
    {
        // 1MSG queues the message on its side (no message id): WhatsApp's delivery never reaches OtpGate, and no automatic
        // fallback runs for a message WhatsApp did not say it took. Past the deadline the page offers SMS itself.
        await using var server = new CustomServer(new() { ["Verification:Sms:DeliveryDeadline"] = "00:00:05" });
        await server.InitializeAsync();
        await using var context = await fixture.NewContextAsync(server);

        var page = await BrowserFixture.SignUpAsync(context, "Ada Queued", QueuedWhatsApp);
        await MarkLoadedAsync(page);
        var offer = page.GetByRole(AriaRole.Button, new() { Name = "Send by SMS instead" });
        await Assertions.Expect(offer).ToBeVisibleAsync();
        await AssertNotReloadedAsync(page);
        await Assertions.Expect(page.Locator("#sms-notice")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#resend-ready")).ToHaveTextAsync("You can have the code sent by SMS instead.");
        await BrowserFixture.ScreenshotAsync(page, "o-send-by-sms-offer");

        await offer.ClickAsync();
        await Assertions.Expect(page.Locator("#sms-notice")).ToHaveTextAsync("We sent the code by SMS.");
        await Assertions.Expect(offer).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#form-error")).ToHaveCountAsync(0);
        await SignUpWithTheSmsCodeAsync(context, page, QueuedWhatsApp);
    }

    /// <summary>Reads the code from the SMS bubble in the inbox, types it, and arrives at the welcome page.</summary>
    private static async Task SignUpWithTheSmsCodeAsync(IBrowserContext context, IPage page, string phone)
    {
        var code = await ReadSmsCodeAsync(context, phone);
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
    }

    /// <summary>Leaves a mark on the loaded page that a reload would wipe.</summary>
    private static async Task MarkLoadedAsync(IPage page) => await page.EvaluateAsync("() => { window.otpgateNotReloaded = true; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.otpgateNotReloaded === true"), "The page reloaded instead of updating live.");

    /// <summary>
    /// Opens the sandbox's phone inbox in a new tab, waits for the number's SMS bubble and reads the code from its text;
    /// the number's WhatsApp message (the same code: a fallback never makes a new one) is in the same chat.
    /// </summary>
    private static async Task<string> ReadSmsCodeAsync(IBrowserContext context, string phone)
    {
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync($"/sandbox/inbox?phone={digits}");
        var sms = inbox.Locator("[data-testid='message'][data-channel='sms']").Last;
        await Assertions.Expect(sms.Locator("[data-testid='channel-label']")).ToHaveTextAsync("SMS");
        var code = Code().Match(await sms.Locator("[data-testid='message-body']").InnerTextAsync()).Value;
        var whatsApp = inbox.Locator("[data-testid='message'][data-channel='whatsapp']").Last;
        await Assertions.Expect(whatsApp.Locator("[data-testid='message-body']")).ToContainTextAsync(code);
        await BrowserFixture.ScreenshotAsync(inbox, "p-inbox-sms-" + digits);
        await inbox.CloseAsync();
        return code;
    }

    [GeneratedRegex("\\d{4,10}")]
    private static partial Regex Code();
}
