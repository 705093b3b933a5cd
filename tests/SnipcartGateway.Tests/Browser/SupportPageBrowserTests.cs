using Microsoft.Playwright;
using SnipcartGateway.Domain;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// The support page in headless Chromium against a gateway under the Functions host: the operator gives the key,
/// finds a payment paid twice by its Snipcart session id, sees both attempts on the timeline, finds the duplicate in
/// the attention list and marks it handled. The key travels only in the x-functions-key header, never in a URL, and
/// the page runs under its CSP without a violation.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SupportPageBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{
    [Fact]
    public async Task An_operator_finds_a_payment_paid_twice_and_marks_it_handled()
    {
        await using var desk = await SupportDesk.OpenAsync(_h);
        var (first, duplicate) = await desk.PaidTwiceAsync();
        var urls = new List<string>();
        var keyed = 0;
        _page.Request += (_, request) =>
        {
            urls.Add(request.Url);
            if (request.Headers.TryGetValue("x-functions-key", out var sent) && sent == desk.Key)
            {
                keyed++;
            }
        };
        var violations = new List<string>();
        _page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Add(message.Text);
            }
        };

        var response = await _page.GotoAsync(new Uri(desk.Gateway.BaseAddress, "support/").ToString());
        Assert.Equal(200, response!.Status);
        await _page.FillAsync("#function-key", desk.Key);
        await _page.ClickAsync("#use-key");
        await Expect(_page.Locator("#key-state")).ToContainTextAsync("Key set");

        // The story: both attempts of the session, the duplicate flagged.
        await _page.FillAsync("#search-key", first.Session.Id);
        await _page.ClickAsync("#search-form button[type=submit]");
        await Expect(_page.Locator("#story article.attempt")).ToHaveCountAsync(2);
        var flagged = _page.Locator($"#story article.attempt.flagged[data-payment-ref='{duplicate}']");
        await Expect(flagged).ToContainTextAsync("duplicate_payment");
        await Expect(_page.Locator($"#story article.attempt[data-payment-ref='{first.PaymentRef}']")).ToContainTextAsync("Snipcart told \"Processed\"");

        // The attention list, filtered by reason: the duplicate, marked handled from its row.
        await _page.FillAsync("#reason", "duplicate_payment");
        await _page.ClickAsync("#load-attention");
        var row = _page.Locator($"#attention tbody tr[data-payment-ref='{duplicate}']");
        await Expect(row).ToBeVisibleAsync();
        await row.Locator("button", new() { HasText = "Mark handled" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        await Expect(_page.Locator("#key-state")).ToContainTextAsync($"handled on {duplicate}");

        await using var services = desk.Services();
        var attempt = (await services.Get<IPaymentStore>().GetAttemptAsync(duplicate))!.Value;
        Assert.False(attempt.NeedsAttention);
        Assert.Equal("duplicate_payment", attempt.FailureCode);
        Assert.True(keyed >= 3, $"{keyed} requests carried the key");
        Assert.DoesNotContain(urls, u => u.Contains(desk.Key, StringComparison.Ordinal));
        Assert.Empty(violations);
        Assert.Empty(_consoleErrors);
    }
}
