using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// Every page in every state, at 390 px and 1280 px, under TestResults/screenshots: sign-up (empty and refused), the
/// code page (sent, wrong code, no attempts left, the code gone by SMS, code already sent), welcome, the inbox (list
/// and chat), the docs and the 404 page. They are for people to look at; each also must not scroll sideways.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class ScreenshotBrowserTests(BrowserFixture fixture)
{
    private static async Task ShootAsync(IPage page, string name)
    {
        await BrowserFixture.ScreenshotBothWidthsAsync(page, name);
        await page.SetViewportSizeAsync(BrowserFixture.PhoneWidth, 844);
        Assert.False(await BrowserFixture.ScrollsSidewaysAsync(page), $"{name} scrolls sideways at {BrowserFixture.PhoneWidth} px.");
    }

    [Fact]
    public async Task Every_page_is_shot_at_phone_and_desktop_widths()
    {
        await using var context = await fixture.NewContextAsync(BrowserFixture.PhoneWidth, 844);
        var phone = fixture.Server.NextPhone();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await ShootAsync(page, "a-sign-up");
        await page.GetByLabel("Your name").FillAsync("Ada Lovelace");
        await page.GetByLabel("WhatsApp number").FillAsync("2125550100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();
        await Assertions.Expect(page.Locator("#phone-error")).ToBeVisibleAsync();
        await ShootAsync(page, "b-sign-up-refused");

        await page.GetByLabel("WhatsApp number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-status", "read");
        await ShootAsync(page, "c-verify-sent");

        var code = await fixture.Server.ReadCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";
        await page.GetByLabel("Code").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.Locator("#code-error")).ToBeVisibleAsync();
        await ShootAsync(page, "d-verify-wrong-code");

        await ShootInboxAsync(context, phone);

        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
        await ShootAsync(page, "g-welcome");

        await ShootOtherStatesAsync(context);

        await page.GotoAsync("/docs");
        await Assertions.Expect(page.GetByText("/v1/verifications").First).ToBeVisibleAsync();
        // The viewer's own layout, many screens long: its first screen, looked at rather than measured.
        await BrowserFixture.ScreenshotBothWidthsAsync(page, "k-docs", fullPage: false);
        await page.GotoAsync("/no-such-page");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Page not found");
        await ShootAsync(page, "l-not-found");
    }

    private static async Task ShootInboxAsync(IBrowserContext context, string phone)
    {
        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync("/sandbox/inbox");
        var chat = inbox.Locator($"[data-testid='chat-{new string([.. phone.Where(char.IsAsciiDigit)])}']");
        await Assertions.Expect(chat).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(inbox, "e-inbox-list-390");
        await chat.ClickAsync();
        await Assertions.Expect(inbox.Locator("[data-testid='message']").First).ToBeVisibleAsync();
        await ShootAsync(inbox, "f-inbox-chat");
        await inbox.CloseAsync();
    }

    /// <summary>The code page's other stages, each in a session of its own: no attempts left, undeliverable, already sent.</summary>
    private async Task ShootOtherStatesAsync(IBrowserContext context)
    {
        await context.ClearCookiesAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Max Attempts", phone);
        var code = await fixture.Server.ReadCodeAsync(phone);
        for (var i = 0; i < 5; i++)
        {
            await page.GetByLabel("Code").FillAsync(code == "000000" ? "111111" : "000000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.Locator("#code-error").Or(page.Locator("#resend.primary"))).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("No attempts left");
        await ShootAsync(page, "h-verify-no-attempts-left");

        // The number without WhatsApp: the embedded default sends the code by SMS (without SMS the page leads with changing
        // the number: VerifyStagesBrowserTests shoots that one).
        await context.ClearCookiesAsync();
        page = await BrowserFixture.SignUpAsync(context, "Nobody", VerifyStagesBrowserTests.Undeliverable);
        await Assertions.Expect(page.Locator("#sms-notice")).ToHaveTextAsync("We couldn't reach your WhatsApp, so we sent the code by SMS.");
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-status", "delivered");
        await ShootAsync(page, "i-verify-sms-fallback");

        await context.ClearCookiesAsync();
        phone = fixture.Server.NextPhone();
        page = await BrowserFixture.SignUpAsync(context, "Twice", phone);
        await page.GotoAsync("/");
        await page.GetByLabel("Your name").FillAsync("Twice");
        await page.GetByLabel("WhatsApp number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToBeVisibleAsync();
        await ShootAsync(page, "j-verify-already-sent");
    }
}
