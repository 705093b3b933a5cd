using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Snapplify;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.Snapplify;

/// <summary>The Snapplify Pay adapter against the sandbox's Snapplify simulator (and a scripted server for the wire shape).</summary>
public sealed class SnapplifyProviderTests : IAsyncLifetime
{
    private LoopbackServer _merchant = null!;
    private SandboxFactory _sandbox = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _merchant = await LoopbackServer.AnsweringAsync(200);
        _sandbox = SandboxFactory.Start();
        _services = Build(_sandbox.BaseUrl + "/snapplify");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _merchant.DisposeAsync();
    }

    private static ServiceProvider Build(string baseUrl, string secret = SandboxFactory.SnapplifySecret, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Providers:Snapplify:Enabled"] = "true",
            ["Providers:Snapplify:Test:BaseUrl"] = baseUrl,
            ["Providers:Snapplify:Test:Client"] = SandboxFactory.SnapplifyClient,
            ["Providers:Snapplify:Test:Secret"] = secret,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSnapplifyProvider(configuration).BuildServiceProvider();
    }

    private IPaymentProvider Provider => _services.GetRequiredService<IPaymentProvider>();

    private SnapplifyState Simulator => _sandbox.Snapplify;

    private ProviderPaymentRequest Request(string paymentRef, decimal amount = 899m, string currency = "zar") => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(amount, currency),
        Description = "2 x Rosy-Fingered Dawn at Louse Point",
        Invoice = new SnipcartInvoice { Currency = currency, Amount = amount, BillingAddress = new SnipcartAddress { Country = "za" } },
        ReturnUrl = new Uri($"{_merchant.BaseUrl}/api/checkout/return/{paymentRef}"),
        CancelUrl = new Uri($"{_merchant.BaseUrl}/api/checkout/cancel/{paymentRef}"),
        NotificationUrl = new Uri($"{_merchant.BaseUrl}/api/providers/snapplify/notifications?mode=test"),
    };

    private static ProviderPaymentLookup Lookup(string paymentRef, ProviderPaymentCreated created, IReadOnlyDictionary<string, string>? returned = null, bool finalCheck = false) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        ProviderPaymentId = created.ProviderPaymentId,
        ProviderData = created.ProviderData ?? ProviderData.Empty,
        ReturnParameters = returned ?? ProviderData.Empty,
        FinalCheck = finalCheck,
    };

    /// <summary>The query Snapplify's redirect adds to our return URL, as the simulator builds it.</summary>
    private static Dictionary<string, string> ReturnOf(SnapplifySimPayment payment, bool declined = false)
    {
        var url = new Uri(SnapplifySubmitPage.ReturnUrl(payment, declined));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        return query.AllKeys.ToDictionary(k => k!, k => query[k]!, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void Identity_capabilities_defaults_and_supports()
    {
        Assert.Equal("snapplify", Provider.Id);
        Assert.Equal("Snapplify Pay", Provider.DisplayName);
        Assert.Equal(new ProviderCapabilities(Refunds: false, PartialRefunds: false, EchoesAmount: true, EchoesReference: true, Cancel: false), Provider.Capabilities);
        Assert.True(Provider.Supports(PaymentMode.Test, "zar", "ZA"));
        Assert.True(Provider.Supports(PaymentMode.Test, "USD", null));
        Assert.True(Provider.Supports(PaymentMode.Test, "kes", "KE"));
        Assert.False(Provider.Supports(PaymentMode.Test, "EUR", "ZA"));
        Assert.False(Provider.Supports(PaymentMode.Live, "ZAR", "ZA")); // no live client

        var defaults = new SnapplifyOptions();
        Assert.Equal("https://sandboxpay.snapplify.com", defaults.Test.BaseUrl);
        Assert.Equal("https://pay.snapplify.com", defaults.Live.BaseUrl);
        // A configured base URL wins over the default.
        Assert.Equal(_sandbox.BaseUrl + "/snapplify", _services.GetRequiredService<IOptions<SnapplifyOptions>>().Value.Test.BaseUrl);
    }

    [Theory]
    [InlineData("00:00:15")]
    [InlineData("00:00:20")]
    [InlineData("00:00:00")]
    [InlineData("-00:00:01")]
    public void An_ipn_answer_budget_outside_snapplifys_15_s_stops_start_up_naming_it(string budget)
    {
        var options = new SnapplifyOptions { Enabled = true, IpnAnswerBudget = TimeSpan.Parse(budget, System.Globalization.CultureInfo.InvariantCulture) };
        options.Test.Client = "client";
        options.Test.Secret = "secret";

        Assert.Contains(options.Problems("Providers__Snapplify"), p => p.StartsWith("Providers__Snapplify__IpnAnswerBudget must be", StringComparison.Ordinal));
        options.IpnAnswerBudget = TimeSpan.FromSeconds(14);
        Assert.Empty(options.Problems("Providers__Snapplify"));
        Assert.Equal(TimeSpan.FromSeconds(12), new SnapplifyOptions().IpnAnswerBudget);
    }

    [Fact]
    public void A_mode_is_offered_only_with_client_and_secret_and_half_a_pair_is_named_at_start_up()
    {
        var options = new SnapplifyOptions { Enabled = true };
        options.Live.Client = "live-client";
        Assert.False(options.Offers(PaymentMode.Live));
        Assert.Contains("Providers__Snapplify__Live__Secret is missing (other Providers__Snapplify__Live__* credentials are set).", options.Problems("Providers__Snapplify"));
        options.Live.Secret = "live-secret";
        Assert.True(options.Offers(PaymentMode.Live));
        Assert.False(options.Offers(PaymentMode.Test));
        Assert.Empty(options.Problems("Providers__Snapplify"));
    }

    [Fact]
    public async Task The_payment_request_is_posted_as_documented_with_the_credentials_in_the_query()
    {
        await using var snapplify = await LoopbackServer.AnsweringAsync(200, """{"token":"5b1f0c8e-1111-4222-8333-944445555666","redirectUrl":"https://sandboxpay.snapplify.com/payment/submit?client=c&token=5b1f0c8e"}""");
        await using var services = Build(snapplify.BaseUrl);

        var created = await services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_wire", 49.9m, "zar"));

        var call = Assert.Single(snapplify.Requests);
        Assert.Equal("POST", call.Method);
        Assert.Equal($"/payment/request?client={SandboxFactory.SnapplifyClient}&secret={SandboxFactory.SnapplifySecret}", call.PathAndQuery);
        Assert.StartsWith("application/json", call.Headers["Content-Type"]);
        var body = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("pay_wire", body.GetProperty("referenceCode").GetString());
        // Major units, exactly two decimals, on the wire.
        Assert.Contains("\"amount\":49.90", call.Body);
        Assert.Equal("ZAR", body.GetProperty("currency").GetString());
        Assert.Equal("ZA", body.GetProperty("country").GetString());
        Assert.Equal("2 x Rosy-Fingered Dawn at Louse Point", body.GetProperty("description").GetString());
        Assert.Equal($"{_merchant.BaseUrl}/api/checkout/return/pay_wire", body.GetProperty("redirectUrl").GetString());
        Assert.Equal($"{_merchant.BaseUrl}/api/checkout/return/pay_wire", body.GetProperty("declinedUrl").GetString());
        Assert.Equal($"{_merchant.BaseUrl}/api/providers/snapplify/notifications?mode=test", body.GetProperty("notificationUrl").GetString());

        Assert.Equal("5b1f0c8e-1111-4222-8333-944445555666", created.ProviderPaymentId);
        Assert.Equal("5b1f0c8e-1111-4222-8333-944445555666", created.ProviderData![SnapplifyProvider.TokenKey]);
        Assert.Equal(new Uri("https://sandboxpay.snapplify.com/payment/submit?client=c&token=5b1f0c8e"), created.RedirectUrl);
    }

    [Theory]
    [InlineData(200, """{"code":"UNSUPPORTED_CURRENCY","message":"This currency is not enabled for your store."}""", "UNSUPPORTED_CURRENCY")]
    [InlineData(400, """{"code":"INVALID_AMOUNT","message":"This currency is not enabled for your store."}""", "INVALID_AMOUNT")]
    [InlineData(500, "", null)]
    [InlineData(200, """{"token":"t-1"}""", null)]
    public async Task A_refusal_a_failure_or_a_missing_redirect_url_is_a_clear_provider_exception(int status, string answer, string? code)
    {
        await using var snapplify = await LoopbackServer.AnsweringAsync(status, answer);
        await using var services = Build(snapplify.BaseUrl);

        var ex = await Assert.ThrowsAsync<SnapplifyException>(() => services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_refused")));

        Assert.Equal(code, ex.ErrorCode);
        if (code is not null)
        {
            Assert.Equal("This currency is not enabled for your store.", ex.ShopperMessage);
            Assert.Contains(code, ex.Message);
        }
        else
        {
            Assert.Null(ex.ShopperMessage);
        }
        Assert.DoesNotContain(SandboxFactory.SnapplifySecret, ex.ToString());
    }

    [Fact]
    public async Task An_amount_finer_than_two_decimals_is_refused_before_anything_is_sent()
    {
        await using var snapplify = await LoopbackServer.AnsweringAsync(200, """{"token":"t","redirectUrl":"https://x.example/submit"}""");
        await using var services = Build(snapplify.BaseUrl, extra: new Dictionary<string, string?> { ["Providers:Snapplify:Currencies"] = "BHD" });

        var ex = await Assert.ThrowsAsync<SnapplifyException>(() => services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_bhd", 10.125m, "bhd")));

        Assert.Empty(snapplify.Requests);
        Assert.NotNull(ex.ShopperMessage);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_and_no_message_carries_the_credentials()
    {
        await using var services = Build(_sandbox.BaseUrl + "/snapplify", secret: "not-the-secret");

        var ex = await Assert.ThrowsAsync<SnapplifyException>(() => services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_badkey")));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("UNAUTHORISED", ex.ErrorCode);
        Assert.DoesNotContain("not-the-secret", ex.ToString());
        Assert.DoesNotContain("secret=", ex.ToString());
        Assert.Empty(Simulator.Payments);
    }

    [Fact]
    public async Task An_approved_return_is_validated_and_paid_with_amount_currency_and_reference()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_ok"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;

        var seen = await Provider.GetPaymentAsync(Lookup("pay_ok", created, ReturnOf(payment)));

        Assert.Equal(PaymentStatus.Paid, seen.Status);
        Assert.Equal("COMPLETED", seen.ProviderStatus);
        Assert.Equal(new Money(899m, "ZAR"), seen.Amount);
        Assert.Equal("pay_ok", seen.Reference);
        Assert.Equal(payment.TransactionId, seen.TransactionId);
        Assert.Equal(created.ProviderPaymentId, seen.ProviderData![SnapplifyProvider.AuthorisationCodeKey]);
        Assert.Equal(1, Simulator.ValidateCalls(created.ProviderPaymentId));
        Assert.True(Simulator.Get(created.ProviderPaymentId)!.Validated);
    }

    [Theory]
    [InlineData("PAID", PaymentStatus.Paid)]
    [InlineData("COMPLETED", PaymentStatus.Paid)]
    [InlineData("PENDING", PaymentStatus.Pending)]
    [InlineData("NEW", PaymentStatus.AwaitingShopper)]
    [InlineData("ERROR", PaymentStatus.Failed)]
    [InlineData("SOMETHING_NEW", PaymentStatus.Pending)]
    public async Task The_final_check_at_expiry_validates_the_request_token_and_states_map(string state, PaymentStatus expected)
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_" + state.ToLowerInvariant()));
        Simulator.SetState(created.ProviderPaymentId, state, notify: false, "CARD_DECLINED", "Your bank declined the card.");

        var seen = await Provider.GetPaymentAsync(Lookup("pay_" + state.ToLowerInvariant(), created, finalCheck: true));

        Assert.Equal(expected, seen.Status);
        Assert.Equal(state, seen.ProviderStatus);
        Assert.Equal(expected == PaymentStatus.Failed ? "CARD_DECLINED" : null, seen.FailureCode);
        Assert.Equal(expected == PaymentStatus.Failed ? "Your bank declined the card." : null, seen.FailureMessage);
    }

    [Fact]
    public async Task A_return_naming_another_reference_is_rejected_without_asking()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_mine"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;
        var forged = ReturnOf(payment);
        forged["referenceCode"] = "pay_someone_else";

        await Assert.ThrowsAsync<ProviderReturnRejectedException>(() => Provider.GetPaymentAsync(Lookup("pay_mine", created, forged)));

        Assert.Equal(0, Simulator.ValidateCalls(created.ProviderPaymentId));
    }

    [Fact]
    public async Task A_return_with_another_payments_token_or_an_unknown_token_is_rejected()
    {
        var mine = await Provider.CreatePaymentAsync(Request("pay_a"));
        var other = await Provider.CreatePaymentAsync(Request("pay_b"));
        var paidOther = Simulator.SetState(other.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;
        var withOtherToken = ReturnOf(paidOther);
        withOtherToken["referenceCode"] = "pay_a";
        var withUnknownToken = new Dictionary<string, string>(withOtherToken) { ["token"] = Guid.NewGuid().ToString() };

        await Assert.ThrowsAsync<ProviderReturnRejectedException>(() => Provider.GetPaymentAsync(Lookup("pay_a", mine, withOtherToken)));
        await Assert.ThrowsAsync<ProviderReturnRejectedException>(() => Provider.GetPaymentAsync(Lookup("pay_a", mine, withUnknownToken)));
        await Assert.ThrowsAsync<ProviderReturnRejectedException>(() => Provider.GetPaymentAsync(Lookup("pay_a", mine, new Dictionary<string, string> { ["success"] = "1", ["referenceCode"] = "pay_a" })));
    }

    [Fact]
    public async Task A_validate_answer_with_another_amount_currency_or_reference_is_reported_as_it_is()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_tampered"));
        Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false);
        Simulator.TamperValidate(created.ProviderPaymentId, new SnapplifyValidateOverride(Amount: 1m, Currency: "USD", ReferenceCode: "pay_other"));

        var seen = await Provider.GetPaymentAsync(Lookup("pay_tampered", created, finalCheck: true));

        // The core compares these with the attempt and never confirms a mismatch; the adapter must not hide them.
        Assert.Equal(new Money(1m, "USD"), seen.Amount);
        Assert.Equal("pay_other", seen.Reference);
        // An answer about another payment does not get to say which token to validate with next time.
        Assert.False(seen.ProviderData!.ContainsKey(SnapplifyProvider.AuthorisationCodeKey));
    }

    [Fact]
    public async Task A_return_with_our_own_token_whose_answer_names_another_reference_is_reported_not_rejected()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_own_token"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;
        Simulator.TamperValidate(created.ProviderPaymentId, new SnapplifyValidateOverride(ReferenceCode: "pay_other"));

        // The token is the one Snapplify gave us: its answer is Snapplify's word, and the core flags the mismatch.
        var seen = await Provider.GetPaymentAsync(Lookup("pay_own_token", created, ReturnOf(payment)));

        Assert.Equal(PaymentStatus.Paid, seen.Status);
        Assert.Equal("pay_other", seen.Reference);
    }

    [Fact]
    public async Task A_declined_return_is_failed_with_snapplifys_code_and_message()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_declined"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Error, notify: false, SnapplifySubmitPage.DeclineCode, SnapplifySubmitPage.DeclineMessage)!;

        var seen = await Provider.GetPaymentAsync(Lookup("pay_declined", created, ReturnOf(payment, declined: true)));

        Assert.Equal(PaymentStatus.Failed, seen.Status);
        Assert.Equal(SnapplifySubmitPage.DeclineCode, seen.FailureCode);
        Assert.Equal(SnapplifySubmitPage.DeclineMessage, seen.FailureMessage);
    }

    [Fact]
    public async Task An_ipn_snapplify_sent_is_verified_and_names_our_payment_and_a_forged_one_is_rejected()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_ipn"));
        Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: true);
        await WaitForAsync(() => _merchant.Requests.Any(r => r.PathAndQuery.StartsWith("/api/providers/snapplify/notifications", StringComparison.Ordinal)));
        var body = _merchant.Requests.Last(r => r.PathAndQuery.StartsWith("/api/providers/snapplify/notifications", StringComparison.Ordinal)).Body;

        var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = new Dictionary<string, string>(), Mode = PaymentMode.Test });
        var withoutMode = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = new Dictionary<string, string>() });

        Assert.Equal("pay_ipn", notification.PaymentRef);
        Assert.Equal(PaymentMode.Test, notification.Mode);
        Assert.Equal(PaymentMode.Test, withoutMode.Mode);
        Assert.Equal(created.ProviderPaymentId, notification.ProviderData![SnapplifyProvider.AuthorisationCodeKey]);
        Assert.Null(notification.Attention);

        var forged = body.Replace("\"amount\":899", "\"amount\":1", StringComparison.Ordinal);
        Assert.NotEqual(body, forged);
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() =>
            Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = forged, Headers = new Dictionary<string, string>(), Mode = PaymentMode.Test }));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() =>
            Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = "not json", Headers = new Dictionary<string, string>(), Mode = PaymentMode.Test }));
        // Verified with test credentials only: a URL naming live mode (not configured) verifies nothing.
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() =>
            Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = new Dictionary<string, string>(), Mode = PaymentMode.Live }));
    }

    [Theory]
    [InlineData("REFUNDED", "refund")]
    [InlineData("CHARGEBACK", "chargeback")]
    [InlineData("CANCELLED", "cancellation")]
    public async Task An_ipn_reporting_money_moving_outside_the_checkout_asks_for_attention(string state, string attention)
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_after_" + attention));
        Simulator.SetState(created.ProviderPaymentId, state, notify: true);
        await WaitForAsync(() => Simulator.IpnAttempts.Any(a => a.Token == created.ProviderPaymentId));
        var body = Simulator.IpnAttempts.First(a => a.Token == created.ProviderPaymentId).Body;

        var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = new Dictionary<string, string>(), Mode = PaymentMode.Test });

        Assert.Equal(attention, notification.Attention);
        Assert.Equal(state, notification.ProviderData!["ipnPaymentState"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Validate_is_not_called_before_the_shoppers_return_or_a_verified_ipn_brings_a_token(bool snapplifyRefusesNew)
    {
        Simulator.Options.ValidateRefusesNew = snapplifyRefusesNew;
        var created = await Provider.CreatePaymentAsync(Request("pay_not_yet"));

        for (var check = 0; check < 3; check++)
        {
            var seen = await Provider.GetPaymentAsync(Lookup("pay_not_yet", created));
            Assert.Equal(PaymentStatus.AwaitingShopper, seen.Status);
        }

        Assert.Equal(0, Simulator.ValidateCalls(created.ProviderPaymentId));
        Simulator.Options.ValidateRefusesNew = false;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_returns_token_is_validated_once_and_later_lookups_answer_from_that_answer(bool snapplifyValidatesOnce)
    {
        Simulator.Options.ValidateOnce = snapplifyValidatesOnce;
        var created = await Provider.CreatePaymentAsync(Request("pay_once"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;
        var data = new Dictionary<string, string>(created.ProviderData!);

        foreach (var returned in new[] { ReturnOf(payment), ReturnOf(payment), null })
        {
            var seen = await Provider.GetPaymentAsync(Lookup("pay_once", created, returned) with { ProviderData = data });
            Assert.Equal(PaymentStatus.Paid, seen.Status);
            Assert.Equal(new Money(899m, "ZAR"), seen.Amount);
            ProviderData.Merge(data, seen.ProviderData);
        }

        Assert.Equal(1, Simulator.ValidateCalls(created.ProviderPaymentId));
        Assert.Equal(created.ProviderPaymentId, data[SnapplifyValidateRule.ValidatedReturnTokenKey]);
        Simulator.Options.ValidateOnce = false;
    }

    [Fact]
    public async Task Each_verified_ipn_event_is_validated_once_and_a_repeated_ipn_is_not()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_ipn_once"));
        var data = new Dictionary<string, string>(created.ProviderData!);
        async Task<ProviderPayment> IpnThenLookupAsync(string state, int ipnNumber)
        {
            Simulator.SetState(created.ProviderPaymentId, state, notify: true);
            await WaitForAsync(() => Simulator.IpnAttempts.Count(a => a.Token == created.ProviderPaymentId) >= ipnNumber);
            var body = Simulator.IpnAttempts.Last(a => a.Token == created.ProviderPaymentId).Body;
            var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = new Dictionary<string, string>(), Mode = PaymentMode.Test });
            ProviderData.Merge(data, notification.ProviderData);
            var seen = await Provider.GetPaymentAsync(Lookup("pay_ipn_once", created) with { ProviderData = data });
            ProviderData.Merge(data, seen.ProviderData);
            return seen;
        }

        Assert.Equal(PaymentStatus.Pending, (await IpnThenLookupAsync(SnapplifyStates.Pending, 1)).Status);
        Assert.Equal(PaymentStatus.Pending, (await Provider.GetPaymentAsync(Lookup("pay_ipn_once", created) with { ProviderData = data })).Status);
        Assert.Equal(1, Simulator.ValidateCalls(created.ProviderPaymentId));

        Assert.Equal(PaymentStatus.Paid, (await IpnThenLookupAsync(SnapplifyStates.Completed, 2)).Status);
        Assert.Equal(2, Simulator.ValidateCalls(created.ProviderPaymentId));
    }

    [Fact]
    public async Task A_cancelled_return_of_a_payment_still_new_fails_at_once_with_a_code_never_the_browsers_text()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_cancelled"));
        var payment = Simulator.Get(created.ProviderPaymentId)!; // still NEW: the shopper left Snapplify's page
        var returned = ReturnOf(payment, declined: true);
        returned["errorCode"] = "USER_CANCELLED";
        returned["errorMessage"] = "<b>call +27 000</b>";

        var seen = await Provider.GetPaymentAsync(Lookup("pay_cancelled", created, returned));

        Assert.Equal(PaymentStatus.Failed, seen.Status);
        Assert.Equal("NEW", seen.ProviderStatus);
        Assert.Equal("USER_CANCELLED", seen.FailureCode);
        Assert.Equal("The payment was not completed at Snapplify Pay.", seen.FailureMessage);

        returned["errorCode"] = "not a code!";
        var again = await Provider.GetPaymentAsync(Lookup("pay_cancelled", created, returned));
        Assert.Equal("snapplify_not_completed", again.FailureCode);
    }

    [Fact]
    public async Task A_paid_answer_marked_validated_false_carries_nothing_the_core_could_confirm()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_unvalidated"));
        var payment = Simulator.SetState(created.ProviderPaymentId, SnapplifyStates.Completed, notify: false)!;
        Simulator.TamperValidate(created.ProviderPaymentId, new SnapplifyValidateOverride(Validated: false));

        var seen = await Provider.GetPaymentAsync(Lookup("pay_unvalidated", created, ReturnOf(payment)));

        Assert.Equal(PaymentStatus.Paid, seen.Status);
        Assert.Null(seen.Amount);
        Assert.Null(seen.Reference); // the core records payment_mismatch and flags the attempt
        Assert.Equal("false", seen.ProviderData!["validated"]);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(25);
        }
    }
}
