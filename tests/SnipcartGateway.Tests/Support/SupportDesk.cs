using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Support;

/// <summary>
/// A gateway instance of its own (own tables, so the attention list holds only this test's payments) under the
/// Functions host, with a host function key named <see cref="KeyName"/> for the support API, and the purchases support
/// is asked about.
/// </summary>
internal sealed class SupportDesk : IAsyncDisposable
{
    public const string KeyName = "support-desk";

    private readonly GatewayHarness _h;

    private SupportDesk(GatewayHarness harness, GatewayHost gateway, string tables, string key, Dictionary<string, string?> settings)
    {
        _h = harness;
        Gateway = gateway;
        Tables = tables;
        Key = key;
        Settings = settings;
    }

    public GatewayHost Gateway { get; }
    public string Tables { get; }
    public string Key { get; }
    public Dictionary<string, string?> Settings { get; }

    public static async Task<SupportDesk> OpenAsync(GatewayHarness harness, params (string Key, string Value)[] extra)
    {
        var tables = "s" + Guid.NewGuid().ToString("N")[..10];
        var settings = new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = tables,
            ["Payments:ReconcileAfter"] = "00:00:00",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        var gateway = await harness.StartGatewayAsync(settings: settings);
        var functionKey = await gateway.Host.CreateHostFunctionKeyAsync(KeyName);
        return new SupportDesk(harness, gateway, tables, functionKey, settings);
    }

    /// <summary>The gateway's services in-process on the same tables (to read or plant records).</summary>
    public InProcessGateway Services() => InProcessGateway.For(_h, Settings);

    public HttpClient Client(string? key = null)
    {
        var client = Gateway.CreateHttpClient();
        if ((key ?? Key) is { Length: > 0 } value)
        {
            client.DefaultRequestHeaders.Add("x-functions-key", value);
        }
        return client;
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        using var client = Client();
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpResponseMessage Response, JsonElement Body)> ActAsync(string paymentRef, object body)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync($"api/support/payments/{paymentRef}/actions", body);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A Sandbox Pay purchase confirmed "processed".</summary>
    public async Task<Purchase> PaidAsync()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: Gateway);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await _h.ReturnAsync(paymentRef, Gateway);
        return new Purchase(session, token, paymentRef, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Id, _h.State.GetSession(session.Id)!.RefundsUrl!);
    }

    /// <summary>One order paid twice: two attempts of the session (the second started by force past the one-payment-in-
    /// flight rule), both paid; the second is flagged duplicate_payment, and Sandbox Pay has not answered its give-back
    /// yet (a 409 "key in use"), so it is still on the list.</summary>
    public async Task<(Purchase First, string DuplicateRef)> PaidTwiceAsync()
    {
        var (session, token) = _h.NewSession();
        var (first, _) = await _h.StartPaymentAsync(token, gateway: Gateway);
        await using (var forced = Services())
        {
            await forced.Get<IPaymentStore>().ForgetPaymentInFlightAsync(session.Id);
        }
        var (second, _) = await _h.StartPaymentAsync(_h.State.MintToken(session.Id), gateway: Gateway);
        _h.SetProviderStatus(first, SandboxPayStatuses.Succeeded);
        _h.SetProviderStatus(second, SandboxPayStatuses.Succeeded);
        await _h.ReturnAsync(first, Gateway);
        _h.State.FailNext(SimulatedEndpoint.SandboxPayRefund, 409);
        await _h.ReturnAsync(second, Gateway);
        await using var services = Services();
        var duplicate = (await services.Get<IPaymentStore>().GetAttemptAsync(second))!.Value;
        Assert.True(duplicate.NeedsAttention);
        Assert.Equal("duplicate_payment", duplicate.FailureCode);
        return (new Purchase(session, token, first, _h.State.FindSandboxPayPaymentByReference(first)!.Id, _h.State.GetSession(session.Id)!.RefundsUrl!), second);
    }

    public ValueTask DisposeAsync() => new(_h.StopGatewayAsync(Gateway));

    public sealed record Purchase(SandboxSession Session, string PublicToken, string PaymentRef, string ProviderPaymentId, string RefundsUrl)
    {
        public string RefundKey => new Uri(RefundsUrl).Query.Split("key=")[1].Split('&')[0];
    }
}
