using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// Everything a shopper's checkout touches, for real: Azurite, the sandbox (Snipcart + Sandbox Pay) and the
/// gateway as it ships (the published Function App under the Functions host), on loopback ports. One per test
/// class; each harness has its own tables.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private readonly List<GatewayHost> _gateways = [];

    private GatewayHarness(AzuriteFixture azurite)
    {
        Azurite = azurite;
        GatewayPort = AzuriteFixture.FreeTcpPort();
        var sandboxPort = AzuriteFixture.FreeTcpPort();
        Sandbox = KestrelFactory.Start(() => new SandboxHost(sandboxPort, $"http://127.0.0.1:{GatewayPort}"));
        TablePrefix = "e" + Guid.NewGuid().ToString("N")[..10];
    }

    public AzuriteFixture Azurite { get; }
    public SandboxHost Sandbox { get; }
    public int GatewayPort { get; }
    public string TablePrefix { get; }
    public GatewayHost Gateway => _gateways[0];
    public SandboxState State => Sandbox.State;

    /// <summary>Starts the sandbox and one gateway; <paramref name="settings"/> are extra app settings (e.g. Payments:ReconcileAfter).</summary>
    public static async Task<GatewayHarness> StartAsync(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var harness = new GatewayHarness(azurite);
        try
        {
            await harness.StartGatewayAsync(harness.GatewayPort, settings);
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public const string StoreName = "Louse Point Books";
    public const string StoreAccentColor = "#5b2a86";
    public const string StoreSupportEmail = "help@lousepoint.example";

    /// <summary>The simulated SmartPay merchant account (the sandbox's defaults).</summary>
    public static readonly SnipcartGateway.Sandbox.JpmSmartPay.JpmSmartPaySandboxSettings JpmAccount = new();

    public Dictionary<string, string?> GatewaySettings(int port) => new()
    {
        ["AzureWebJobsStorage"] = Azurite.ConnectionString,
        // As in Azure (infra/main.bicep) and the local run: the host's own home page is off.
        ["AzureWebJobsDisableHomepage"] = "true",
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:TablePrefix"] = TablePrefix,
        ["Gateway:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        ["Snipcart:ApiBaseUrl"] = new Uri(Sandbox.BaseAddress, "api").ToString(),
        ["Snipcart:SecretKeys:Test"] = SandboxHost.SnipcartTestKey,
        ["Snipcart:SecretKeys:Live"] = SandboxHost.SnipcartLiveKey,
        ["Providers:SandboxPay:Enabled"] = "true",
        ["Providers:SandboxPay:Test:BaseUrl"] = new Uri(Sandbox.BaseAddress, "sandboxpay").ToString(),
        ["Providers:SandboxPay:Test:SecretKey"] = SandboxHost.SandboxPaySecret,
        ["Providers:SandboxPay:Test:SigningSecret"] = SandboxHost.SandboxPaySigning,
        // Snapplify Pay in test mode against the sandbox's simulator. Offered for South African and Kenyan billing
        // addresses only (its plugin's defaults), so the US carts of other tests keep Sandbox Pay alone.
        ["Providers:Snapplify:Enabled"] = "true",
        ["Providers:Snapplify:Countries"] = "ZA,KE",
        ["Providers:Snapplify:Test:BaseUrl"] = new Uri(Sandbox.BaseAddress, "snapplify").ToString(),
        ["Providers:Snapplify:Test:Client"] = SandboxHost.SnapplifyClient,
        ["Providers:Snapplify:Test:Secret"] = SandboxHost.SnapplifySecret,
        ["Providers:Smartpay:Enabled"] = "true",
        ["Providers:Smartpay:ApiBaseUrl"] = new Uri(Sandbox.BaseAddress, "smartpay/v1").ToString(),
        ["Providers:Smartpay:Test:SecretKey"] = SandboxHost.SmartpaySecretKey,
        ["Providers:Smartpay:Test:SigningSecret"] = SandboxHost.SmartpaySigningSecret,
        // Sandbox Widget: the same simulator in its widget flow (its script is served by the sandbox, another origin).
        ["Providers:SandboxWidget:Enabled"] = "true",
        ["Providers:SandboxWidget:Test:BaseUrl"] = new Uri(Sandbox.BaseAddress, "sandboxpay").ToString(),
        ["Providers:SandboxWidget:Test:SecretKey"] = SandboxHost.SandboxPaySecret,
        ["Providers:SandboxWidget:Test:SigningSecret"] = SandboxHost.SandboxPaySigning,
        // SmartPay by J.P. Morgan against the sandbox's simulator, OAuth scheme (the simulator's default account).
        ["Providers:JpmSmartPay:Enabled"] = "true",
        ["Providers:JpmSmartPay:Test:BaseUrl"] = new Uri(Sandbox.BaseAddress, "jpmsmartpay").ToString(),
        ["Providers:JpmSmartPay:Test:MerchantKey"] = JpmAccount.MerchantKey,
        ["Providers:JpmSmartPay:Test:TokenUrl"] = new Uri(Sandbox.BaseAddress, "jpmsmartpay/oauth2/token").ToString(),
        ["Providers:JpmSmartPay:Test:ClientId"] = JpmAccount.ClientId,
        ["Providers:JpmSmartPay:Test:ClientSecret"] = JpmAccount.ClientSecret,
        ["Providers:JpmSmartPay:Test:WidgetScriptUrl"] = new Uri(Sandbox.BaseAddress, "jpmsmartpay/web-sdk.js").ToString(),
        ["Providers:JpmSmartPay:Notifications:Username"] = JpmAccount.NotificationUsername,
        ["Providers:JpmSmartPay:Notifications:Password"] = JpmAccount.NotificationPassword,
        // The merchant's page (issue 19): every screen of the shared stack shows the store's branding and links.
        ["Gateway:StoreUrl"] = Sandbox.BaseAddress.ToString(),
        ["Branding:StoreName"] = StoreName,
        ["Branding:LogoUrl"] = new Uri(Sandbox.BaseAddress, "store-logo.svg").ToString(),
        ["Branding:AccentColor"] = StoreAccentColor,
        ["Branding:TermsUrl"] = new Uri(Sandbox.BaseAddress, "store/terms").ToString(),
        ["Branding:PrivacyUrl"] = new Uri(Sandbox.BaseAddress, "store/privacy").ToString(),
        ["Branding:SupportUrl"] = new Uri(Sandbox.BaseAddress, "store/help").ToString(),
        ["Branding:SupportEmail"] = StoreSupportEmail,
        // Tests run the timer themselves (through the host's admin API), so it never fires in the middle of one:
        // once a year, on 1 January.
        ["Reconcile:Schedule"] = "0 0 0 1 1 *",
    };

    /// <summary>Another gateway instance on the same tables (the first one is started by <see cref="StartAsync"/>).</summary>
    public async Task<GatewayHost> StartGatewayAsync(int? port = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var p = port ?? AzuriteFixture.FreeTcpPort();
        var all = GatewaySettings(p);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var host = await GatewayHost.StartAsync(p, all);
        _gateways.Add(host);
        return host;
    }

    /// <summary>Stops an extra gateway instance started by <see cref="StartGatewayAsync"/>.</summary>
    public async Task StopGatewayAsync(GatewayHost gateway)
    {
        if (gateway == Gateway)
        {
            throw new InvalidOperationException("The first gateway lives as long as the harness.");
        }
        _gateways.Remove(gateway);
        await gateway.DisposeAsync();
    }

    /// <summary>A Snipcart payment session in test mode with a fresh public token, as the sandbox's store makes them.</summary>
    public (SandboxSession Session, string Token) NewSession(decimal unitPrice = 49.95m, string currency = "usd", string language = "en", SandboxMode mode = SandboxMode.Test, string itemName = "Rosy-Fingered Dawn at Louse Point", string billingCountry = "US")
    {
        var tax = Math.Round(unitPrice * 0.1m, 2);
        var invoice = new SandboxInvoice
        {
            Currency = currency,
            Language = language,
            Email = "john.doe@example.com",
            InvoiceNumber = "SNIP-" + Random.Shared.Next(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Amount = unitPrice * 2 + tax,
            BillingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "123 Street", PostalCode = "12345", City = "Cuppertino", Country = billingCountry },
            ShippingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "123 Street", PostalCode = "12345", City = "Cuppertino", Country = "US" },
            Items =
            [
                new SandboxItem(itemName, unitPrice, 2, "Physical", 0, unitPrice * 2),
                new SandboxItem("Sales tax", tax, 1, "Tax", 0, tax),
                new SandboxItem("Free shipping", 0, 1, "Shipping", 0, 0),
            ],
        };
        var session = State.CreateSession(mode, invoice);
        return (session, State.MintToken(session.Id));
    }

    /// <summary>Starts a Sandbox Pay payment through the checkout API, as the page's Pay button does.</summary>
    public async Task<(string PaymentRef, Uri RedirectUrl)> StartPaymentAsync(string token, string mode = "test", string provider = "sandboxpay", GatewayHost? gateway = null)
    {
        using var client = (gateway ?? Gateway).CreateHttpClient();
        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider, mode, sig = Sig(provider, mode, token) });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Starting the payment failed: {(int)response.StatusCode} {body}\n{string.Join('\n', (gateway ?? Gateway).Host.Lines.TakeLast(30))}");
        var started = System.Text.Json.JsonDocument.Parse(body).RootElement;
        return (started.GetProperty("paymentRef").GetString()!, new Uri(started.GetProperty("redirectUrl").GetString()!));
    }

    /// <summary>Starts a widget payment (Sandbox Widget by default) through the checkout API, as the page's Pay button
    /// does; returns the widget the page would render (flat: kind, scriptUrl and the provider's values).</summary>
    public async Task<(string PaymentRef, System.Text.Json.JsonElement Widget)> StartWidgetPaymentAsync(string token, string provider = "sandboxwidget", GatewayHost? gateway = null)
    {
        using var client = (gateway ?? Gateway).CreateHttpClient();
        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider, mode = "test", sig = Sig(provider, "test", token) });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Starting the payment failed: {(int)response.StatusCode} {body}");
        var started = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Null, started.GetProperty("redirectUrl").ValueKind);
        return (started.GetProperty("paymentRef").GetString()!, started.GetProperty("widget").Clone());
    }

    /// <summary>
    /// The signature the payment-methods webhook puts in checkoutUrl for the order of <paramref name="token"/>
    /// (computed as the gateway does, with the same keys). Without a token, or for a token the sandbox no longer
    /// knows (expired): a link for no order, which the gateway refuses.
    /// </summary>
    public string Sig(string provider = "sandboxpay", string mode = "test", string? token = null) =>
        SigFor(token is not null && State.FindSessionByToken(token) is not null ? InvoiceOf(token) : new SnipcartInvoice { Currency = "" }, provider, mode);

    /// <summary>The signature for a link made for this invoice (as the webhook received it).</summary>
    public static string SigFor(SnipcartInvoice invoice, string provider = "sandboxpay", string mode = "test") =>
        Signer.Sign(provider, mode == "live" ? PaymentMode.Live : PaymentMode.Test, invoice)!;

    /// <summary>The order as Snipcart's session shows it, for the session the token belongs to.</summary>
    public SnipcartInvoice InvoiceOf(string token)
    {
        var session = State.FindSessionByToken(token) ?? throw new InvalidOperationException("The sandbox knows no session for this token.");
        return new SnipcartInvoice { Currency = session.Invoice.Currency, Amount = session.Invoice.Amount, TargetId = session.Invoice.TargetId };
    }

    private static readonly CheckoutLinkSigner Signer = new(Options.Create(new SnipcartOptions
    {
        SecretKeys = new SnipcartSecretKeys { Test = SandboxHost.SnipcartTestKey, Live = SandboxHost.SnipcartLiveKey },
    }));

    /// <summary>The checkout page as Snipcart sends the shopper to it.</summary>
    public string CheckoutPageUrl(string token, string provider = "sandboxpay", string mode = "test") =>
        $"{Gateway.BaseAddress}checkout/?provider={provider}&mode={mode}&sig={Sig(provider, mode, token)}&publicToken={Uri.EscapeDataString(token)}";

    /// <summary>What happens at Sandbox Pay for our payment: the shopper paid, declined, left it pending...</summary>
    public SandboxPayPayment SetProviderStatus(string paymentRef, string status, bool notify = false)
    {
        var payment = State.FindSandboxPayPaymentByReference(paymentRef)
            ?? throw new InvalidOperationException($"Sandbox Pay has no payment for {paymentRef}.");
        return State.SetSandboxPayStatus(payment.Id, status, notify)!;
    }

    /// <summary>
    /// Lets the session start another attempt while one is in flight, as the gateway did before the one-payment-in-flight
    /// rule (sessions recorded then name no attempt): for tests of what happens when two attempts of a session are paid.
    /// </summary>
    public async Task ForgetPaymentInFlightAsync(string sessionId)
    {
        await using var gateway = InProcessGateway.For(this);
        await gateway.Get<IPaymentStore>().ForgetPaymentInFlightAsync(sessionId);
    }

    /// <summary>Two attempts of one session, both paid at Sandbox Pay and neither returned yet (the second started by
    /// force: the one-payment-in-flight rule refuses it).</summary>
    public async Task<(string First, string Second)> PayTwiceAtTheProviderAsync(SandboxSession session, string token)
    {
        var (first, _) = await StartPaymentAsync(token);
        await ForgetPaymentInFlightAsync(session.Id);
        var (second, _) = await StartPaymentAsync(State.MintToken(session.Id));
        SetProviderStatus(first, SandboxPayStatuses.Succeeded);
        SetProviderStatus(second, SandboxPayStatuses.Succeeded);
        return (first, second);
    }

    /// <summary>The shopper's browser coming back from the provider (redirects not followed).</summary>
    public async Task<HttpResponseMessage> ReturnAsync(string paymentRef, GatewayHost? gateway = null)
    {
        using var client = (gateway ?? Gateway).CreateHttpClient();
        return await client.GetAsync($"api/checkout/return/{paymentRef}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }
        await Sandbox.DisposeAsync();
    }
}
