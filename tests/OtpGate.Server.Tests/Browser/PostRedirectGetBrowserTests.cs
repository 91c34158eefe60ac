using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// Post/redirect/get: every form of the sign-up pages answers 303 to a page, so Back and reload fetch a page again and
/// never post a form again (no "Confirm Form Resubmission", no code checked or sent twice).
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class PostRedirectGetBrowserTests(BrowserFixture fixture)
{
    /// <summary>What the page asked for: every request's method, and every POST's answer.</summary>
    private sealed class Traffic
    {
        public Traffic(IPage page)
        {
            page.Request += (_, request) => { lock (Posts) { if (request.Method == "POST") Posts.Add(request.Url); } };
            page.Response += (_, response) => { lock (PostAnswers) { if (response.Request.Method == "POST") PostAnswers.Add(response.Status); } };
        }

        public List<string> Posts { get; } = [];

        public List<int> PostAnswers { get; } = [];
    }

    /// <summary>
    /// Clicks <paramref name="button"/> (one form post) and waits for what the post shows (<paramref name="arrived"/>, on
    /// <paramref name="arrivesAt"/>); then checks that the post answered 303 to a GET page, and that reload, Back and
    /// Forward each show a page (<paramref name="shows"/> after reload and Forward) without posting anything again.
    /// </summary>
    private static async Task PostThenReloadAndGoBackAsync(IPage page, Traffic traffic, ILocator button, string arrivesAt, ILocator arrived, ILocator shows)
    {
        var posts = traffic.Posts.Count;
        await button.ClickAsync();
        await BrowserFixture.ArrivedAtAsync(page, arrivesAt, arrived);
        Assert.Equal(posts + 1, traffic.Posts.Count);
        Assert.Equal(303, traffic.PostAnswers[^1]);
        Assert.DoesNotContain("handler=", page.Url, StringComparison.Ordinal);

        // Committed is enough: what matters is that a page came, and ArrivedAtAsync waits for its content (the "load"
        // event was seen missed on a busy machine, see BrowserFixture.ArrivedAtAsync).
        await page.ReloadAsync(new() { WaitUntil = WaitUntilState.Commit });
        await BrowserFixture.ArrivedAtAsync(page, arrivesAt, shows);
        await page.GoBackAsync(new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();
        await page.GoForwardAsync(new() { WaitUntil = WaitUntilState.Commit });
        await BrowserFixture.ArrivedAtAsync(page, arrivesAt, shows);
        Assert.Equal(posts + 1, traffic.Posts.Count);
    }

    [Fact]
    public async Task Back_and_reload_after_each_post_show_a_page_and_post_nothing_again()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var traffic = new Traffic(page);
        var phone = fixture.Server.NextPhone();
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" });
        var verify = page.GetByRole(AriaRole.Button, new() { Name = "Verify" });
        await page.GotoAsync("/");

        // The sign-up form, refused (no name), then accepted.
        await page.GetByLabel("WhatsApp number").FillAsync(phone);
        await PostThenReloadAndGoBackAsync(page, traffic, send, "/", page.Locator("#name-error"), page.GetByLabel("Your name"));
        await page.GetByLabel("Your name").FillAsync("Back Button");
        await PostThenReloadAndGoBackAsync(page, traffic, send, "/Verify", page.Locator("[data-verify]"), page.GetByLabel("Code"));

        // A wrong code: still one check, one attempt spent, whatever Back and reload do.
        var code = await fixture.Server.ReadCodeAsync(phone);
        var wrong = code == "000000" ? "111111" : "000000";
        await page.GetByLabel("Code").FillAsync(wrong);
        await PostThenReloadAndGoBackAsync(page, traffic, verify, "/Verify", page.Locator("#code-error"), page.Locator("#attempts-left"));
        await Assertions.Expect(page.Locator("#attempts-left")).ToHaveTextAsync("4 attempts left");

        // Out of attempts, "Send a new code" (the resend form) starts again.
        for (var i = 0; i < 4; i++)
        {
            await page.GetByLabel("Code").FillAsync(wrong);
            await verify.ClickAsync();
            await Assertions.Expect(page.GetByLabel("Code").Or(page.Locator("#resend.primary"))).ToBeFocusedAsync();
        }

        await PostThenReloadAndGoBackAsync(page, traffic, page.Locator("#resend"), "/Verify", page.Locator("#notice"), page.GetByLabel("Code"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("We sent a code to your WhatsApp");

        // "Change number", then the right code: the welcome page, reloaded and gone back to without a post.
        await PostThenReloadAndGoBackAsync(page, traffic, page.Locator("#change-number"), "/", page.GetByLabel("WhatsApp number"), page.GetByLabel("WhatsApp number"));
        await PostThenReloadAndGoBackAsync(page, traffic, send, "/Verify", page.GetByLabel("Code"), page.GetByLabel("Code"));
        var codes = await fixture.Server.ReadCodesAsync(phone, 3);
        await page.GetByLabel("Code").FillAsync(codes[^1]);
        await PostThenReloadAndGoBackAsync(page, traffic, verify, "/Welcome", page.Locator(".welcome"), page.Locator(".welcome"));
    }
}
