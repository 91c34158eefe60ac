using System.Net;
using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>No number enumeration before the code is proven; anti-forgery on the forms.</summary>
[Collection(BrowserTestGroup.Name)]
public sealed class AccountBrowserTests(BrowserFixture fixture)
{
    private static async Task<(IPage Page, string Html)> StartAsync(IBrowserContext context, string name, string phone)
    {
        var page = await BrowserFixture.SignUpAsync(context, name, phone);
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        var text = await page.Locator("h1").InnerTextAsync() + " | " + await page.Locator(".lead").InnerTextAsync();
        // The number is shown as people write it (+1 212 555 0100), which is how the tests type it.
        return (page, text.Replace(phone, "<phone>", StringComparison.Ordinal).Replace(digits, "<phone>", StringComparison.Ordinal));
    }

    private async Task FinishAsync(IPage page, string phone, int messages)
    {
        await page.GetByLabel("Code").FillAsync(await fixture.Server.ReadCodeAsync(phone, messages));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(page);
    }

    [Fact]
    public async Task A_number_with_an_account_learns_it_only_after_proving_the_code()
    {
        var phone = fixture.Server.NextPhone();
        await using (var first = await fixture.NewContextAsync())
        {
            var (page, _) = await StartAsync(first, "First Owner", phone);
            await FinishAsync(page, phone, 1);
        }

        await using var second = await fixture.NewContextAsync();
        var (again, before) = await StartAsync(second, "Someone Else", phone);
        await using var third = await fixture.NewContextAsync();
        var (_, freshBefore) = await StartAsync(third, "New Person", fixture.Server.NextPhone());

        // Before the code: the same page, whether or not the number has an account.
        Assert.Equal(freshBefore, before);
        Assert.DoesNotContain("account", before, StringComparison.OrdinalIgnoreCase);
        await FinishAsync(again, phone, 2);

        await Assertions.Expect(again.Locator("#welcome-message")).ToContainTextAsync("already has an account");
        await Assertions.Expect(again.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Welcome back, First Owner!");
        await BrowserFixture.ScreenshotAsync(again, "9-welcome-back");
    }

    [Fact]
    public async Task A_form_post_without_the_anti_forgery_token_is_refused()
    {
        await using var context = await fixture.NewContextAsync();
        using var client = fixture.Server.CreateClient();

        var response = await client.PostAsync("/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Name"] = "Mallory",
            ["Phone"] = fixture.Server.NextPhone(),
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
