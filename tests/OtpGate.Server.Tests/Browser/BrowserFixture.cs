using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Browser;

/// <summary>
/// Debian's headless Chromium (never a downloaded browser), driven by Playwright, against the real server on Kestrel at
/// 127.0.0.1. Without /usr/bin/chromium the tests skip locally and fail on CI (the CI variable is set).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public ServerFixture Server { get; } = new();

    public IBrowser? Browser { get; private set; }

    public string? Missing { get; private set; }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Missing = $"Chromium is not installed at {ChromiumPath}; install it with `apt-get install chromium` (Debian) to run the browser tests.";
            return;
        }

        await Server.InitializeAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>The widths every page is looked at: a phone and a desktop.</summary>
    public const int PhoneWidth = 390;
    public const int DesktopWidth = 1280;

    /// <summary>A fresh browser context (its own cookies), phone-sized unless told, or the reason the test cannot run.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 412, int height = 860) => NewContextAsync(Server, width, height);

    /// <summary>A fresh browser context on a server of the test's own (its own settings), as above.</summary>
    public async Task<IBrowserContext> NewContextAsync(ServerFactory server, int width = 412, int height = 860)
    {
        if (Missing is not null)
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(Missing + " CI must install it (.ci/run does).");
            }

            Assert.Skip(Missing);
        }

        var context = await Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.Root.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = server.Root.ToString().TrimEnd('/') });
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        return context;
    }

    /// <summary>Opens the sign-up page in a new tab, fills in the name and number, sends, and waits for the code page.</summary>
    public static async Task<IPage> SignUpAsync(IBrowserContext context, string name, string phone, string? screenshot = null)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        if (screenshot is not null)
        {
            await ScreenshotAsync(page, screenshot);
        }

        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("WhatsApp number").FillAsync(phone);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send code on WhatsApp" }).ClickAsync();
        await ArrivedAtAsync(page, "/Verify", page.Locator("[data-verify]"));
        return page;
    }

    /// <summary>
    /// Waits until the page's address ends with <paramref name="path"/> and it shows <paramref name="content"/>. Not
    /// WaitForURL: when the address already matches it waits for the "load" lifecycle event, which Playwright was seen
    /// to miss on a busy machine (reporting network idle instead), timing tests out on a page that was there.
    /// </summary>
    public static async Task ArrivedAtAsync(IPage page, string path, ILocator content)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
        await Assertions.Expect(content).ToBeVisibleAsync();
    }

    /// <summary>After "Verify" with the right code: the welcome page.</summary>
    public static Task ArrivedAtWelcomeAsync(IPage page) => ArrivedAtAsync(page, "/Welcome", page.Locator(".welcome"));

    /// <summary>The page (all of it, unless <paramref name="fullPage"/> is false: then what the window shows), animations finished.</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, name + ".png"),
            FullPage = fullPage,
            Animations = ScreenshotAnimations.Disabled,
        });

    /// <summary>The page as it is now, at the phone's width and at the desktop's (<c>name-390.png</c>, <c>name-1280.png</c>).</summary>
    public static async Task ScreenshotBothWidthsAsync(IPage page, string name, bool fullPage = true)
    {
        foreach (var width in new[] { PhoneWidth, DesktopWidth })
        {
            await page.SetViewportSizeAsync(width, width == PhoneWidth ? 844 : 900);
            await ScreenshotAsync(page, $"{name}-{width}", fullPage);
        }
    }

    /// <summary>Whether the page scrolls sideways: wider than the window.</summary>
    public static Task<bool> ScrollsSidewaysAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.scrollingElement.scrollWidth > window.innerWidth");

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// The browser tests share one Chromium and one server and run one class at a time: three Chromiums starting next to
/// the other test classes' servers on two cores starved pages past Playwright's timeouts.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
