using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>The newcomer's walk through the sign-up app and the sandbox's phone inbox, in a real headless Chromium.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed partial class SignUpBrowserTests(BrowserFixture fixture)
{
    /// <summary>Opens the inbox, picks the chat, presses "Copy code" and reads what it copied (or, failing that, the message text).</summary>
    private static async Task<string> CopyCodeFromInboxAsync(IBrowserContext context, string digits, string? screenshot = null)
    {
        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync("/sandbox/inbox");
        await inbox.Locator($"[data-testid='chat-{digits}']").ClickAsync();
        var copy = inbox.Locator("[data-testid='copy-code']").Last;
        await copy.ClickAsync();
        if (screenshot is not null)
        {
            await BrowserFixture.ScreenshotAsync(inbox, screenshot);
        }

        string? copied = null;
        try
        {
            copied = await inbox.EvaluateAsync<string>("navigator.clipboard.readText()");
        }
        catch (PlaywrightException)
        {
            // Some headless setups refuse clipboard reads; the code is in the message a person reads anyway.
        }

        if (copied is not { Length: > 0 })
        {
            copied = Digits().Match(await inbox.Locator("[data-testid='message-body']").Last.InnerTextAsync()).Value;
        }

        await inbox.CloseAsync();
        return copied.Trim();
    }

    [Fact]
    public async Task A_newcomer_signs_up_copies_the_code_from_the_inbox_and_reaches_the_welcome_page()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());

        var page = await BrowserFixture.SignUpAsync(context, "Ada Lovelace", phone, screenshot: "1-sign-up");
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-status", "read");
        await Assertions.Expect(page.Locator("#delivery-text")).ToHaveTextAsync("Delivered and read");
        await BrowserFixture.ScreenshotAsync(page, "2-code-sent");
        var code = await CopyCodeFromInboxAsync(context, digits, screenshot: "3-inbox");
        Assert.DoesNotContain(code, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, page.Url, StringComparison.Ordinal);

        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Welcome, Ada Lovelace!");
        await Assertions.Expect(page.Locator("#welcome-message")).ToContainTextAsync("Your account is created");
        await BrowserFixture.ScreenshotAsync(page, "4-welcome");
        Assert.DoesNotContain(code, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_code_shows_the_attempts_left()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Grace Hopper", phone);
        var right = await fixture.Server.ReadCodeAsync(phone);
        var wrong = right == "000000" ? "111111" : "000000";

        await page.GetByLabel("Code").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Assertions.Expect(page.Locator("#code-error")).ToHaveTextAsync("That code isn't right. 4 attempts left.");
        await Assertions.Expect(page.Locator("#attempts-left")).ToHaveTextAsync("4 attempts left");
        await Assertions.Expect(page.GetByLabel("Code")).ToHaveValueAsync("");
        await BrowserFixture.ScreenshotAsync(page, "5-wrong-code");
        Assert.DoesNotContain(right, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resend_shows_its_countdown_and_waits_for_it()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await BrowserFixture.SignUpAsync(context, "Alan Turing", fixture.Server.NextPhone());
        var resend = page.Locator("#resend");
        var countdown = page.Locator("#resend-countdown");

        await Assertions.Expect(resend).ToBeDisabledAsync();
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex("^You can ask for a new code in \\d+ s$"));
        var first = int.Parse(Number().Match(await countdown.InnerTextAsync()).Value, System.Globalization.CultureInfo.InvariantCulture);
        await BrowserFixture.ScreenshotAsync(page, "6-resend-countdown");
        await page.WaitForTimeoutAsync(2100);
        var later = int.Parse(Number().Match(await countdown.InnerTextAsync()).Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(first, 25, 30);
        Assert.True(later < first, $"The countdown did not move: {first} then {later}.");
    }

    [Fact]
    public async Task A_number_without_whatsapp_shows_a_clear_delivery_failure()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await BrowserFixture.SignUpAsync(context, "Nobody", "+1 212 555 0101");

        await Assertions.Expect(page.Locator("#failure")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#failure-text")).ToContainTextAsync("this number doesn't seem to have WhatsApp");
        await Assertions.Expect(page.Locator("#delivery")).ToHaveAttributeAsync("data-status", "failed");
        await Assertions.Expect(page.Locator("#resend")).ToHaveTextAsync("Send a new code");
        await BrowserFixture.ScreenshotAsync(page, "7-delivery-failed");
    }

    [Fact]
    public async Task An_invalid_number_says_what_is_wrong()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByLabel("Your name").FillAsync("Someone");
        await page.GetByLabel("WhatsApp number").FillAsync("+1 212 555");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();

        await Assertions.Expect(page.Locator("#phone-error")).ToContainTextAsync("too short");
        await BrowserFixture.ScreenshotAsync(page, "8-invalid-number");
    }

    [GeneratedRegex("\\d{4,10}")]
    private static partial Regex Digits();

    [GeneratedRegex("\\d+")]
    private static partial Regex Number();
}
