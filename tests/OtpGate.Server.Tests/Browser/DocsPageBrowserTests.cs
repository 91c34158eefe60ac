using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>The API reference alone, fully offline; and no page asks for something that is not there (the icon).</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class DocsPageBrowserTests(BrowserFixture fixture)
{
    /// <summary>The viewer's own tools, which have nothing to do with OtpGate's API.</summary>
    public static readonly string[] Clutter = ["Developer Tools", "Configure", "Share", "Generate SDK", "Deploy", "Ask AI"];

    [Fact]
    public async Task The_docs_page_shows_only_the_reference_and_asks_nothing_of_the_internet()
    {
        await using var context = await fixture.NewContextAsync(BrowserFixture.DesktopWidth, 900);
        var page = await context.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => { lock (requested) { requested.Add(request.Url); } };

        // A request beyond this machine is recorded (above) and refused at once: on a machine without internet it would
        // otherwise hang until its own timeout and keep the page from ever going quiet, hiding what it asked for.
        await page.RouteAsync(url => !IsLocal(url), route => route.AbortAsync("internetdisconnected"));

        await page.GotoAsync("/docs");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OtpGate API" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("/v1/verifications").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        string[] everything;
        lock (requested)
        {
            everything = [.. requested];
        }

        var shown = await page.Locator("body").InnerTextAsync();
        Assert.All(Clutter, label => Assert.DoesNotContain(label, shown, StringComparison.Ordinal));
        Assert.All(everything, url => Assert.True(IsLocal(url), $"The docs page asked the internet for {url}."));
    }

    [Fact]
    public async Task No_page_asks_for_something_that_is_not_there()
    {
        await using var context = await fixture.NewContextAsync();
        var failed = new List<string>();
        context.Response += (_, response) => { lock (failed) { if (response.Status >= 400) failed.Add($"{response.Status} {response.Url}"); } };

        var page = await BrowserFixture.SignUpAsync(context, "Icon Seeker", fixture.Server.NextPhone());
        await AssertIconAsync(page);
        foreach (var path in new[] { "/", "/sandbox/inbox", "/docs" })
        {
            var other = await context.NewPageAsync();
            await other.GotoAsync(path);
            await AssertIconAsync(other);
            await other.CloseAsync();
        }

        lock (failed)
        {
            Assert.Empty(failed);
        }
    }

    /// <summary>
    /// The page's icon is there: the one it names, else /favicon.ico, which a browser asks for then. (Headless Chromium
    /// does not fetch icons itself, so the test asks for it as a browser with a tab bar would.)
    /// </summary>
    private static async Task AssertIconAsync(IPage page)
    {
        var href = await page.EvaluateAsync<string>("() => { const l = document.querySelector('link[rel~=icon]'); return l ? l.href : new URL('/favicon.ico', location.href).href; }");
        if (href.StartsWith("data:", StringComparison.Ordinal))
        {
            return;
        }

        var answer = await page.APIRequest.GetAsync(href);
        Assert.True(answer.Ok, $"{page.Url} names the icon {href}, which answers {answer.Status}.");
    }

    private static bool IsLocal(string url) =>
        url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith("blob:", StringComparison.Ordinal)
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost"));
}
