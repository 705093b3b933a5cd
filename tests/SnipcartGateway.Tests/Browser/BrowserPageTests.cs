using System.Collections.Concurrent;
using Microsoft.Playwright;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// Base of the browser tests on the shared gateway stack: a fresh Chromium context and page per test, with the
/// page's dialogs (dismissed) and console errors kept for assertions.
/// </summary>
public abstract class BrowserPageTests(GatewayStackFixture stack, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    protected readonly GatewayHarness _h = stack.Harness;
    protected IBrowserContext _context = null!;
    protected IPage _page = null!;
    protected readonly ConcurrentQueue<string> _dialogs = new();
    protected readonly ConcurrentQueue<string> _consoleErrors = new();

    /// <summary>How long a locator or navigation may wait (a provider's simulated widget takes longer).</summary>
    protected virtual float DefaultTimeoutMs => 15_000;

    public async Task InitializeAsync()
    {
        _context = await browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(DefaultTimeoutMs);
        _page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        _page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue(message.Text);
            }
        };
    }

    public async Task DisposeAsync() => await _context.CloseAsync();
}
