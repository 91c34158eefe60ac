using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>At a phone's 390 px nothing scrolls sideways: the pages, the welcome card with a long name, the sandbox inbox.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class PhoneWidthBrowserTests(BrowserFixture fixture)
{
    /// <summary>One word too long for any line (a real German surname, run together).</summary>
    private const string LongName = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegt";

    private static async Task AssertFitsAsync(IPage page, string what)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{what} is {widths[0]} px wide in a {widths[1]} px window.");
    }

    [Fact]
    public async Task At_390_px_the_pages_and_the_inbox_fit_and_show_the_number_as_people_write_it()
    {
        await using var context = await fixture.NewContextAsync(BrowserFixture.PhoneWidth, 844);
        var phone = fixture.Server.NextPhone();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await AssertFitsAsync(page, "The sign-up page");

        page = await BrowserFixture.SignUpAsync(context, LongName, phone);
        await Assertions.Expect(page.Locator("#phone")).ToHaveTextAsync(phone);
        await AssertFitsAsync(page, "The code page");

        var inbox = await context.NewPageAsync();
        await inbox.GotoAsync("/sandbox/inbox");
        var chat = inbox.Locator($"[data-testid='chat-{Digits(phone)}']");
        await Assertions.Expect(chat).ToBeVisibleAsync();
        await AssertFitsAsync(inbox, "The inbox's chat list");
        await AssertTimeAndEllipsisAsync(chat);

        await chat.ClickAsync();
        await Assertions.Expect(inbox.Locator("[data-testid='message-body']").Last).ToBeVisibleAsync();
        await AssertFitsAsync(inbox, "The inbox's chat");
        await inbox.CloseAsync();

        await page.GetByLabel("Code").FillAsync(await fixture.Server.ReadCodeAsync(phone));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
        await Assertions.Expect(page.Locator("#welcome-message")).ToContainTextAsync(phone);
        await AssertFitsAsync(page, "The welcome page");
        await AssertInsideAsync(page.Locator("h1"), page.Locator(".card"));
        await BrowserFixture.ScreenshotAsync(page, "m-welcome-long-name-390");
    }

    /// <summary>The chat's time is on screen, and its preview is cut with "…" rather than pushing the row wider.</summary>
    private static async Task AssertTimeAndEllipsisAsync(ILocator chat)
    {
        var time = await chat.Locator(".chat-time").BoundingBoxAsync();
        Assert.NotNull(time);
        Assert.True(time.X + time.Width <= BrowserFixture.PhoneWidth, $"The chat's time ends at {time.X + time.Width} px, off a {BrowserFixture.PhoneWidth} px screen.");
        var preview = chat.Locator(".preview-text");
        Assert.Equal("ellipsis", await preview.EvaluateAsync<string>("e => getComputedStyle(e).textOverflow"));
        Assert.True(await preview.EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth"), "The preview is not cut: is the message that short?");
    }

    private static async Task AssertInsideAsync(ILocator inner, ILocator outer)
    {
        var a = (await inner.BoundingBoxAsync())!;
        var b = (await outer.BoundingBoxAsync())!;
        Assert.True(a.X >= b.X && a.X + a.Width <= b.X + b.Width, $"The heading ({a.X}..{a.X + a.Width}) spills out of its card ({b.X}..{b.X + b.Width}).");
    }

    private static string Digits(string phone) => new([.. phone.Where(char.IsAsciiDigit)]);
}
