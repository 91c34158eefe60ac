using Microsoft.Playwright;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// Reproduction 1, in a real browser: whoever completes a verification controls that phone, and nobody else. A stranger
/// who signs up with the same number, before or after its owner, gets a verification of their own, and the owner's
/// approval never signs the stranger in.
/// </summary>
[Collection(BrowserTestGroup.Name)]
public sealed class TakeoverBrowserTests(BrowserFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stranger_signing_up_with_the_same_number_is_never_signed_in_to_it(bool ownerFirst)
    {
        await using var owner = await fixture.NewContextAsync();
        await using var stranger = await fixture.NewContextAsync();
        var phone = fixture.Server.NextPhone();
        IPage ownerPage, strangerPage;
        if (ownerFirst)
        {
            ownerPage = await BrowserFixture.SignUpAsync(owner, "Victim", phone);
            strangerPage = await BrowserFixture.SignUpAsync(stranger, "Mallory", phone);
        }
        else
        {
            strangerPage = await BrowserFixture.SignUpAsync(stranger, "Mallory", phone);
            ownerPage = await BrowserFixture.SignUpAsync(owner, "Victim", phone);
        }

        // The owner's phone got two messages; the owner types the code of their own sign-up.
        var codes = await fixture.Server.ReadCodesAsync(phone, 2);
        var ownerCode = ownerFirst ? codes[0] : codes[1];
        await ownerPage.GetByLabel("Code").FillAsync(ownerCode);
        await ownerPage.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await BrowserFixture.ArrivedAtWelcomeAsync(ownerPage);
        await Assertions.Expect(ownerPage.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Welcome, Victim!");

        // The stranger reloads: still asked for a code, nothing of the owner's account shown.
        await strangerPage.ReloadAsync();
        Assert.EndsWith("/Verify", strangerPage.Url, StringComparison.Ordinal);
        await Assertions.Expect(strangerPage.GetByRole(AriaRole.Heading)).ToHaveTextAsync("We sent a code to your WhatsApp");
        Assert.DoesNotContain("Victim", await strangerPage.ContentAsync(), StringComparison.Ordinal);
        await strangerPage.GotoAsync("/Welcome");
        Assert.DoesNotContain("Welcome", await strangerPage.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        // Even the owner's code proves nothing for the stranger's own verification.
        var strangerCode = ownerFirst ? codes[1] : codes[0];
        Assert.SkipWhen(strangerCode == ownerCode, "The two random codes happen to be equal.");
        await strangerPage.GotoAsync("/Verify");
        await strangerPage.GetByLabel("Code").FillAsync(ownerCode);
        await strangerPage.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(strangerPage.Locator("#code-error")).ToContainTextAsync("That code isn't right");
        Assert.Contains("/Verify", strangerPage.Url, StringComparison.Ordinal);
    }
}
