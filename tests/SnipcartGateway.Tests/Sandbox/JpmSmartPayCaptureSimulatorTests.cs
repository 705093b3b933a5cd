using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox.JpmSmartPay;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The simulated SmartPay with the merchant's auto-capture off: payments stop at AUTHORIZATION_COMPLETED,
/// /payment/capture takes them once per modificationId, and a lapsed authorisation is refused.</summary>
public sealed class JpmSmartPayCaptureSimulatorTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private HttpClient _http = null!;
    private readonly JpmSmartPaySandboxSettings _account = new();

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        _http = _sandbox.Http();
        Smp.Settings.AutoCapture = false;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private JpmSmartPayState Smp => _sandbox.Services.GetRequiredService<JpmSmartPayState>();

    private HttpRequestMessage Api(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/jpmsmartpay" + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_account.MerchantKey}:{_account.AuthenticationKey}")));
        request.Headers.TryAddWithoutValidation("Origin", "https://shop.example.com");
        request.Headers.UserAgent.ParseAdd("tests/1");
        request.Headers.AcceptLanguage.ParseAdd("en-US");
        return request;
    }

    /// <summary>A checkout the tester completed in the widget with <paramref name="outcome"/>; its transaction id.</summary>
    private async Task<string> PaidInWidgetAsync(string reference, string outcome = "pay")
    {
        var created = await (await _http.SendAsync(Api("/payment/creation", $$$"""
            {"merchantKey":"{{{_account.MerchantKey}}}","partnerReference":"{{{reference}}}",
             "payment":{"amount":10.99,"currencyCode":"EUR","description":"Purchase 1x product ABC"},
             "consumer":{"firstName":"Butcher","lastName":"Hells","emailAddress":"hells@example.com"},
             "billingAddress":{"addressLine1":"Anystreet","number":"123","city":"Anycity","postCode":"12345","countryCode":"DE"}}
            """))).Content.ReadFromJsonAsync<JsonElement>();
        var token = created.GetProperty("checkoutToken").GetString()!;
        var submitted = await _http.PostAsJsonAsync($"/jpmsmartpay/widget/checkouts/{token}/submit", new { outcome });
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        return created.GetProperty("transactionId").GetString()!;
    }

    private Task<HttpResponseMessage> CaptureAsync(string transactionId, string modificationId, string amount = "10.99") =>
        _http.SendAsync(Api("/payment/capture", $$$"""
            {"transactionId":"{{{transactionId}}}","merchantKey":"{{{_account.MerchantKey}}}","modificationId":"{{{modificationId}}}",
             "modifiedAmount":{"amount":{{{amount}}},"currencyCode":"EUR"}}
            """));

    private static async Task<string?> CodeOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task With_auto_capture_off_a_payment_stays_authorised_until_captured_once_per_modification_id()
    {
        var id = await PaidInWidgetAsync("pay_simcap1");
        Assert.Equal(JpmStatuses.AuthorizationCompleted, Smp.Get(id)!.Status);

        var first = await CaptureAsync(id, "cap-1");
        var replay = await CaptureAsync(id, "cap-1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var answer = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("CAPTURED", answer.GetProperty("paymentStatus").GetString());
        var capture = Assert.Single(answer.GetProperty("modifications").EnumerateArray());
        Assert.Equal("cap-1", capture.GetProperty("modificationId").GetString());
        Assert.Equal(1, Smp.Captures(id));
        Assert.Equal(JpmStatuses.Captured, Smp.Get(id)!.Status);
    }

    [Fact]
    public async Task With_auto_capture_off_the_pending_path_ends_authorised_and_with_it_on_captured()
    {
        var off = await PaidInWidgetAsync("pay_simcap2", "pending");
        Smp.Settings.AutoCapture = true;
        var on = await PaidInWidgetAsync("pay_simcap3", "pending");

        Assert.Equal([JpmStatuses.AuthorizationCompleted], Smp.Get(off)!.Path);
        Assert.Equal([JpmStatuses.CapturePending, JpmStatuses.Captured], Smp.Get(on)!.Path);
    }

    [Fact]
    public async Task A_lapsed_authorisation_is_refused_and_can_still_be_cancelled()
    {
        var id = await PaidInWidgetAsync("pay_simcap4");
        var expired = await _http.PostAsync($"/jpmsmartpay/test/transactions/{id}/expire-authorization", null);
        Assert.Equal(HttpStatusCode.OK, expired.StatusCode);

        var refused = await CaptureAsync(id, "cap-4");
        var cancelled = await _http.SendAsync(Api("/payment/cancelOrRefund",
            $$"""{"transactionId":"{{id}}","merchantKey":"{{_account.MerchantKey}}","modificationId":"cancel-4"}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("AUTHORIZATION_EXPIRED", await CodeOf(refused));
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(JpmStatuses.Cancelled, Smp.Get(id)!.Status);
        Assert.Equal(0, Smp.Captures(id));
    }

    [Fact]
    public async Task A_configured_authorisation_lifetime_lapses_on_its_own()
    {
        Smp.Settings.AuthorizationLifetime = TimeSpan.Zero;
        var id = await PaidInWidgetAsync("pay_simcap5");

        var refused = await CaptureAsync(id, "cap-5");

        Assert.Equal("AUTHORIZATION_EXPIRED", await CodeOf(refused));
        Assert.Equal(JpmStatuses.AuthorizationCompleted, Smp.Get(id)!.Status);
    }

    [Fact]
    public async Task More_than_was_authorised_or_a_transaction_not_authorised_is_refused()
    {
        var id = await PaidInWidgetAsync("pay_simcap6");
        Smp.Settings.AutoCapture = true;
        var captured = await PaidInWidgetAsync("pay_simcap7");

        Assert.Equal("INVALID_AMOUNT", await CodeOf(await CaptureAsync(id, "cap-6", "11.00")));
        Assert.Equal("TRANSACTION_NOT_CAPTURABLE", await CodeOf(await CaptureAsync(captured, "cap-7")));
        Assert.Equal(0, Smp.Captures(id));
    }
}
