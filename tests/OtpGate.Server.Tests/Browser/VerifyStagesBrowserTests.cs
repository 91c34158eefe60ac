using Microsoft.Playwright;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// The code page leads with what can work: the code while it can be entered, another number when this one cannot get
/// WhatsApp, a new code once no attempt is left. What cannot work is not offered, and the focus is on what comes next.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class VerifyStagesBrowserTests(BrowserFixture fixture)
{
    /// <summary>The sandbox's number that is accepted, then fails: not a WhatsApp user.</summary>
    public const string Undeliverable = "+1 212 555 0101";

    [Fact]
    public async Task Without_SMS_an_undeliverable_number_leads_with_changing_it_and_offers_no_code_field_nor_a_new_code()
    {
        // With SMS (the embedded default's) the code would go by SMS instead (SmsFallbackBrowserTests): here the service
        // does not send codes by SMS, as where no SMS provider is configured.
        await using var server = new CustomServer(new() { ["Verification:Sms:Fallback"] = "false" });
        await server.InitializeAsync();
        await using var context = await fixture.NewContextAsync(server);
        var page = await BrowserFixture.SignUpAsync(context, "Nobody", Undeliverable);

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("This number can't get the code");
        await Assertions.Expect(page.Locator("#failure-text")).ToContainTextAsync("This number doesn't seem to have WhatsApp");
        await Assertions.Expect(page.Locator("#phone")).ToHaveTextAsync(Undeliverable);
        var change = page.Locator("#change-number");
        await Assertions.Expect(change).ToBeFocusedAsync();
        await Assertions.Expect(change).ToHaveClassAsync("primary");
        await Assertions.Expect(page.Locator("#code")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#verify")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#resend")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("We sent a code to your WhatsApp")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("Send a new code")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "7-delivery-failed");

        // "Change number": back on the first page, the number (as people write it) to edit, and the focus on it.
        await change.ClickAsync();
        await BrowserFixture.ArrivedAtAsync(page, "/", page.GetByLabel("WhatsApp number"));
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToHaveValueAsync(Undeliverable);
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("Your name")).ToHaveValueAsync("Nobody");
    }

    [Fact]
    public async Task After_the_last_wrong_attempt_the_page_leads_with_a_new_code()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Max Attempts", phone);
        var right = await fixture.Server.ReadCodeAsync(phone);
        var wrong = right == "000000" ? "111111" : "000000";
        for (var left = 4; left >= 1; left--)
        {
            await page.GetByLabel("Code").FillAsync(wrong);
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(page.Locator("#code-error")).ToContainTextAsync(left == 1 ? "1 attempt left" : $"{left} attempts left");
            await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        }

        await page.GetByLabel("Code").FillAsync(wrong);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("No attempts left");
        var newCode = page.Locator("#resend");
        await Assertions.Expect(newCode).ToHaveTextAsync("Send a new code");
        await Assertions.Expect(newCode).ToHaveClassAsync("primary");
        await Assertions.Expect(newCode).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#code")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#verify")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "10-no-attempts-left");

        // Starting again: a new code, the field back, and the focus in it.
        await newCode.ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("We sent you a new code.");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("We sent a code to your WhatsApp");
        await Assertions.Expect(page.GetByLabel("Code")).ToBeFocusedAsync();
        await page.GetByLabel("Code").FillAsync(await fixture.Server.ReadCodeAsync(phone, 2));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
    }

    [Fact]
    public async Task Signing_up_again_for_a_number_with_a_pending_code_says_the_code_was_already_sent()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Twice", phone);
        await Assertions.Expect(page.Locator("#notice")).ToHaveCountAsync(0);

        await page.GotoAsync("/");
        await page.GetByLabel("Your name").FillAsync("Twice");
        await page.GetByLabel("WhatsApp number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();

        await BrowserFixture.ArrivedAtAsync(page, "/Verify", page.Locator("#notice"));
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync(
            new System.Text.RegularExpressions.Regex("^We already sent a code to this number; it's still valid\\. You can ask for a new one in \\d+ s\\.$"));
        await BrowserFixture.ScreenshotAsync(page, "11-already-sent");

        // The code of the first message still signs in.
        await page.GetByLabel("Code").FillAsync(await fixture.Server.ReadCodeAsync(phone));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
    }

    [Fact]
    public async Task Change_number_from_the_code_page_puts_the_focus_on_the_number()
    {
        await using var context = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        var page = await BrowserFixture.SignUpAsync(context, "Changes Mind", phone);

        await page.Locator("#change-number").ClickAsync();

        await BrowserFixture.ArrivedAtAsync(page, "/", page.GetByLabel("WhatsApp number"));
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByLabel("WhatsApp number")).ToHaveValueAsync(phone);
    }
}
