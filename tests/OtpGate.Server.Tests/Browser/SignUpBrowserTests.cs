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
    public async Task A_wrong_code_says_the_attempts_left_once_and_the_sandbox_note_is_on_the_page_once()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Grace Hopper", phone);
        var right = await fixture.Server.ReadCodeAsync(phone);
        var wrong = right == "000000" ? "111111" : "000000";
        Assert.Equal(1, await CountAsync(page, "Sandbox mode"));

        await page.GetByLabel("Code").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Assertions.Expect(page.Locator("#code-error")).ToHaveTextAsync("That code isn't right. 4 attempts left.");
        await Assertions.Expect(page.GetByLabel("Code")).ToHaveValueAsync("");
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        Assert.Equal(1, await CountAsync(page, "4 attempts left"));
        Assert.Equal(1, await CountAsync(page, "Sandbox mode"));
        await BrowserFixture.ScreenshotAsync(page, "5-wrong-code");
        Assert.DoesNotContain(right, await page.ContentAsync(), StringComparison.Ordinal);

        // Reloaded, the error has been said: the attempts left stay, once, under the field.
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#attempts-left")).ToHaveTextAsync("4 attempts left");
        await Assertions.Expect(page.Locator("#code-error")).ToHaveCountAsync(0);
        Assert.Equal(1, await CountAsync(page, "4 attempts left"));
    }

    [Fact]
    public async Task Resend_shows_its_countdown_looks_disabled_and_is_not_announced_every_second()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await BrowserFixture.SignUpAsync(context, "Alan Turing", fixture.Server.NextPhone());
        var resend = page.Locator("#resend");
        var countdown = page.Locator("#resend-countdown");

        await Assertions.Expect(resend).ToBeDisabledAsync();
        await Assertions.Expect(countdown).ToHaveTextAsync(new Regex("^You can ask for a new code in \\d+ s$"));
        var first = await countdown.InnerTextAsync();
        Assert.InRange(int.Parse(Number().Match(first).Value, System.Globalization.CultureInfo.InvariantCulture), 25, 30);
        await BrowserFixture.ScreenshotAsync(page, "6-resend-countdown");
        await Assertions.Expect(countdown).Not.ToHaveTextAsync(first);

        // Shown, not spoken: neither the countdown nor anything around it is a live region.
        Assert.True(await countdown.EvaluateAsync<bool>("e => e.closest('[aria-live], [role=status], [role=alert], [role=log], [role=timer]') === null"));
        // A disabled button that looks it: greyed, with a dashed border, unlike the enabled one's solid green.
        Assert.Equal("dashed", await resend.EvaluateAsync<string>("e => getComputedStyle(e).borderTopStyle"));
        Assert.Equal("not-allowed", await resend.EvaluateAsync<string>("e => getComputedStyle(e).cursor"));
    }

    [Fact]
    public async Task A_number_without_a_plus_hints_at_the_country_code_and_takes_the_focus()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
        await page.GetByLabel("Your name").FillAsync("Someone");
        await page.GetByLabel("WhatsApp number").FillAsync("2125550100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();

        await Assertions.Expect(page.Locator("#phone-error")).ToContainTextAsync("too short");
        await Assertions.Expect(page.Locator("#phone-error")).ToContainTextAsync("read as starting with its country code (here +212)");
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToHaveValueAsync("2125550100");
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Someone");
        await BrowserFixture.ScreenshotAsync(page, "8-invalid-number");

        // Without a name, the focus goes to the first field in error.
        await page.GetByLabel("Your name").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
    }

    /// <summary>How many times <paramref name="text"/> appears in what the page shows.</summary>
    private static async Task<int> CountAsync(IPage page, string text)
    {
        var shown = await page.Locator("body").InnerTextAsync();
        return Regex.Count(shown, Regex.Escape(text));
    }

    [GeneratedRegex("\\d{4,10}")]
    private static partial Regex Digits();

    [GeneratedRegex("\\d+")]
    private static partial Regex Number();
}
