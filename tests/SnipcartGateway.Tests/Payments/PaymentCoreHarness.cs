using SnipcartGateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Providers.SandboxPay;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Storage;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The payment core without any HTTP host of the gateway: a ServiceProvider built from the app's own
/// registration extensions, against a real Azurite and the real sandbox (Snipcart simulator and Sandbox Pay on a
/// loopback port). Tests call CheckoutService, PaymentFinisher, RefundService and ReconciliationService directly.
/// Each harness has its own tables. <see cref="Build"/> may be called again for a second "process" on the same
/// tables, with its own clock and decorators.
/// </summary>
public sealed class PaymentCoreHarness : IAsyncDisposable
{
    private readonly List<ServiceProvider> _processes = [];

    private PaymentCoreHarness(AzuriteFixture azurite)
    {
        Azurite = azurite;
        var sandboxPort = AzuriteFixture.FreeTcpPort();
        // Nobody listens at the "gateway" URL: Sandbox Pay's notifications fail and are only recorded. Tests
        // deliver notifications by calling the finisher themselves.
        Sandbox = KestrelFactory.Start(() => new SandboxHost(sandboxPort, GatewayBase));
        TablePrefix = "p" + Guid.NewGuid().ToString("N")[..10];
    }

    private const string GatewayBase = "http://127.0.0.1:9";

    public AzuriteFixture Azurite { get; }
    public SandboxHost Sandbox { get; }
    public SandboxState State => Sandbox.State;
    public string TablePrefix { get; }

    /// <summary>The first process, built by <see cref="Start"/>.</summary>
    public ServiceProvider Services => _processes[0];
    public MutableTimeProvider Clock { get; } = new();

    public static PaymentCoreHarness Start(AzuriteFixture azurite, Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null)
    {
        var harness = new PaymentCoreHarness(azurite);
        harness.Build(configure, settings, harness.Clock);
        return harness;
    }

    public Dictionary<string, string?> Settings() => new()
    {
        ["Storage:ConnectionString"] = Azurite.ConnectionString,
        ["Storage:TablePrefix"] = TablePrefix,
        ["Gateway:PublicBaseUrl"] = GatewayBase,
        ["Snipcart:ApiBaseUrl"] = new Uri(Sandbox.BaseAddress, "api").ToString(),
        ["Snipcart:SecretKeys:Test"] = SandboxHost.SnipcartTestKey,
        ["Snipcart:SecretKeys:Live"] = SandboxHost.SnipcartLiveKey,
        ["Providers:SandboxPay:Enabled"] = "true",
        ["Providers:SandboxPay:Test:BaseUrl"] = new Uri(Sandbox.BaseAddress, "sandboxpay").ToString(),
        ["Providers:SandboxPay:Test:SecretKey"] = SandboxHost.SandboxPaySecret,
        ["Providers:SandboxPay:Test:SigningSecret"] = SandboxHost.SandboxPaySigning,
    };

    /// <summary>Another process on the same tables and sandbox. <paramref name="configure"/> runs last, so it
    /// can replace or decorate anything (see <see cref="DecorateStore"/>, <see cref="DecorateProvider"/>).</summary>
    public ServiceProvider Build(Action<IServiceCollection>? configure = null, IDictionary<string, string?>? settings = null, TimeProvider? clock = null)
    {
        var values = Settings();
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton(clock ?? Clock);
        // The app's own registration (Sandbox Pay included, enabled by the settings above).
        services.AddGateway(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        // Resolved now, so a test's decorators exist before its first call.
        _ = provider.GetRequiredService<IProviderRegistry>();
        _ = provider.GetRequiredService<IPaymentStore>();
        _ = provider.GetRequiredService<ISnipcartClient>();
        _processes.Add(provider);
        return provider;
    }

    public CheckoutService Checkout => Services.GetRequiredService<CheckoutService>();
    public PaymentFinisher Finisher => Services.GetRequiredService<PaymentFinisher>();
    public RefundService Refunds => Services.GetRequiredService<RefundService>();
    public ReconciliationService Reconciliation => Services.GetRequiredService<ReconciliationService>();
    public IPaymentStore Store => Services.GetRequiredService<IPaymentStore>();

    /// <summary>Wraps the app's table store in a test decorator.</summary>
    public static void DecorateStore(IServiceCollection services, Func<IPaymentStore, IPaymentStore> decorate)
    {
        var original = services.Last(d => d.ServiceType == typeof(IPaymentStore));
        services.Remove(original);
        services.AddSingleton(sp => decorate((IPaymentStore)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)));
    }

    /// <summary>Wraps Sandbox Pay's adapter (the registered IPaymentProvider) in a test decorator.</summary>
    public static void DecorateProvider(IServiceCollection services, Func<IPaymentProvider, IPaymentProvider> decorate)
    {
        services.RemoveAll<IPaymentProvider>();
        services.AddSingleton(sp => decorate(sp.GetRequiredService<SandboxPayProvider>()));
    }

    /// <summary>A Snipcart payment session in test mode with a fresh public token, as the sandbox's store makes them.</summary>
    public (SandboxSession Session, string Token) NewSession(decimal unitPrice = 49.95m, string currency = "usd")
    {
        var tax = Math.Round(unitPrice * 0.1m, 2);
        var invoice = new SandboxInvoice
        {
            Currency = currency,
            Language = "en",
            Email = "john.doe@example.com",
            Amount = unitPrice * 2 + tax,
            BillingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "123 Street", PostalCode = "12345", City = "Cuppertino", Country = "US" },
            ShippingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "123 Street", PostalCode = "12345", City = "Cuppertino", Country = "US" },
            Items =
            [
                new SandboxItem("Rosy-Fingered Dawn at Louse Point", unitPrice, 2, "Physical", 0, unitPrice * 2),
                new SandboxItem("Sales tax", tax, 1, "Tax", 0, tax),
            ],
        };
        var session = State.CreateSession(SandboxMode.Test, invoice);
        return (session, State.MintToken(session.Id));
    }

    /// <summary>The checkout link's signature for the order of <paramref name="token"/>, as the webhook makes it.</summary>
    public string Sig(string provider = "sandboxpay", PaymentMode mode = PaymentMode.Test, string? token = null)
    {
        var session = token is null ? null : State.FindSessionByToken(token);
        var invoice = session is null
            ? new SnipcartGateway.Snipcart.SnipcartInvoice { Currency = "" }
            : new SnipcartGateway.Snipcart.SnipcartInvoice { Currency = session.Invoice.Currency, Amount = session.Invoice.Amount, TargetId = session.Invoice.TargetId };
        return Services.GetRequiredService<CheckoutLinkSigner>().Sign(provider, mode, invoice)!;
    }

    /// <summary>Starts a Sandbox Pay payment, as the page's Pay button does.</summary>
    public async Task<(SandboxSession Session, string PaymentRef)> StartPaymentAsync(CheckoutService? checkout = null)
    {
        var (session, token) = NewSession();
        var started = await (checkout ?? Checkout).StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", Sig(token: token)), CancellationToken.None);
        return (session, started.PaymentRef);
    }

    /// <summary>A new session's checkout link as the page holds it, and the Sandbox Pay payment started with it.</summary>
    public async Task<(StartPaymentCommand Link, string SessionId, string PaymentRef)> StartWithLinkAsync()
    {
        var (session, token) = NewSession();
        var link = new StartPaymentCommand(token, "sandboxpay", "test", Sig(token: token));
        var started = await Checkout.StartAsync(link, CancellationToken.None);
        return (link, session.Id, started.PaymentRef);
    }

    /// <summary>What happens at Sandbox Pay for our payment: the shopper paid, declined, left it pending...</summary>
    public SandboxPayPayment SetProviderStatus(string paymentRef, string status)
    {
        var payment = State.FindSandboxPayPaymentByReference(paymentRef)
            ?? throw new InvalidOperationException($"Sandbox Pay has no payment for {paymentRef}.");
        return State.SetSandboxPayStatus(payment.Id, status, notify: false)!;
    }

    /// <summary>A started payment the shopper paid and whose return told Snipcart "processed".</summary>
    public async Task<(SandboxSession Session, PaymentAttempt Attempt)> PaidPaymentAsync(decimal unitPrice = 49.95m)
    {
        var (session, paymentRef) = await StartPaymentAsync();
        SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        var finished = await Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        Assert.Equal(FinishOutcome.Confirmed, finished.Outcome);
        return (session, (await Store.GetAttemptAsync(paymentRef))!.Value);
    }

    public async Task<PaymentAttempt> AttemptAsync(string paymentRef) => (await Store.GetAttemptAsync(paymentRef))!.Value;

    /// <summary>The timer's open-refund list as it is now.</summary>
    public async Task<List<OpenRefundEntry>> ListOpenRefundsAsync()
    {
        var open = new List<OpenRefundEntry>();
        await foreach (var entry in Store.ListOpenRefundsAsync())
        {
            open.Add(entry);
        }
        return open;
    }

    /// <summary>Whether the timer still follows <paramref name="refund"/>.</summary>
    public async Task<bool> IsOpenAsync(RefundRecord refund) => (await ListOpenRefundsAsync()).Any(e => e.RefundId == refund.RefundId);

    public IReadOnlyList<string> StatesToldFor(string sessionId) =>
        [.. State.PaymentCallsFor(sessionId).Where(c => c.Accepted).Select(c => c.State!)];

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await Sandbox.DisposeAsync();
    }
}
