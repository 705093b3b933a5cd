using Microsoft.Playwright;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// One Playwright driver and one headless Chromium for the whole test run; each test opens its own context
/// (fresh cookies, storage and cache). Uses the system Chromium: nothing is downloaded (no `playwright install`).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string DefaultChromiumPath = "/usr/bin/chromium";

    // --user-data-dir is not passed: Playwright refuses it on Launch and gives every launch a fresh temporary
    // profile itself. The rest keeps Chromium from calling home or needing a GPU or a sandbox in containers.
    public static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture is not initialised.");

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : DefaultChromiumPath;

    public async Task InitializeAsync()
    {
        var path = ChromiumPath;
        // Fail loudly: a browser test that silently skips would hide a broken checkout page.
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{path}'. Install it (apt-get install chromium) or set CHROMIUM_PATH.");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A new, isolated context in English, so pages that fall back to the browser language are predictable.</summary>
    public Task<IBrowserContext> NewContextAsync(string locale = "en-US") =>
        Browser.NewContextAsync(new BrowserNewContextOptions { Locale = locale });

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
