using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Snipcart;

/// <summary>The Snipcart client over real HTTP: against the sandbox's simulator, and against scripted loopback servers.</summary>
public sealed class SnipcartClientTests : IClassFixture<SnipcartClientTests.Sandbox>
{
    public sealed class Sandbox : IDisposable
    {
        public SandboxFactory Factory { get; } = SandboxFactory.Start();
        public void Dispose() => Factory.Dispose();
    }

    private readonly SandboxFactory _sandbox;

    public SnipcartClientTests(Sandbox sandbox) => _sandbox = sandbox.Factory;

    private static ServiceProvider Services(string baseUrl, string? liveKey = SandboxFactory.LiveKey, string timeout = "00:00:05")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Snipcart:ApiBaseUrl"] = baseUrl,
            ["Snipcart:SecretKeys:Test"] = SandboxFactory.TestKey,
            ["Snipcart:SecretKeys:Live"] = liveKey,
            ["Snipcart:Timeout"] = timeout,
            ["Snipcart:RetryDelay"] = "00:00:00", // no slow tests
        }).Build();
        return new ServiceCollection().AddLogging().AddSnipcartClient(configuration).BuildServiceProvider();
    }

    private static ISnipcartClient Client(string baseUrl, string? liveKey = SandboxFactory.LiveKey, string timeout = "00:00:05") =>
        Services(baseUrl, liveKey, timeout).GetRequiredService<ISnipcartClient>();

    private ISnipcartClient SandboxClient() => Client(_sandbox.BaseUrl + "/api");

    [Fact]
    public async Task Validate_is_true_for_a_live_token_and_false_for_unknown_or_expired_ones()
    {
        var (_, token) = _sandbox.NewSession();
        var client = SandboxClient();

        Assert.True(await client.ValidatePublicTokenAsync(token));
        Assert.False(await client.ValidatePublicTokenAsync("not-a-token"));
        _sandbox.State.ExpireToken(token);
        Assert.False(await client.ValidatePublicTokenAsync(token));
    }

    [Fact]
    public async Task Reads_the_simulated_session_with_its_non_guid_id_and_lower_case_currency()
    {
        var (session, token) = _sandbox.NewSession(SandboxMode.Live, "eur");

        var read = await SandboxClient().GetPaymentSessionAsync(token);

        Assert.NotNull(read);
        Assert.Equal(session.Id, read.Id);
        Assert.False(Guid.TryParse(read.Id, out _));
        Assert.Equal("eur", read.Invoice.Currency);
        Assert.Equal(69.44m, read.Invoice.Amount);
        Assert.Equal(3, read.Invoice.Items.Count);
        Assert.Equal(49.95m, read.Invoice.Items[0].UnitPrice);
        Assert.Equal(_sandbox.BaseUrl + "/#/checkout", read.PaymentAuthorizationRedirectUrl);
    }

    [Fact]
    public async Task Reads_a_session_tolerantly_pascal_case_extra_members_upper_case_currency_and_string_numbers()
    {
        const string json = """
            {
              "Id": "b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1",
              "State": "Pending",
              "AvailablePaymentMethods": [{"id": "x", "flow": "Redirect"}],
              "Invoice": {
                "Currency": "USD", "Amount": 409.29, "TargetId": "226086da-57be-4b92-b950-5fd632be7767",
                "BillingAddress": {"Name": "John", "Surname": "Doe", "Country": "US", "Region": null},
                "Items": [{"Name": "Starry Night", "UnitPrice": "79.95", "Quantity": 3, "Type": "Physical", "Amount": 239.85, "HasSelectedPlan": false}]
              },
              "PaymentAuthorizationRedirectUrl": "https://example.com#/checkout"
            }
            """;
        await using var server = await LoopbackServer.AnsweringAsync(200, json);

        var session = await Client(server.BaseUrl).GetPaymentSessionAsync("tok");

        Assert.NotNull(session);
        Assert.Equal("b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1", session.Id);
        Assert.Equal("USD", session.Invoice.Currency);
        Assert.Equal(409.29m, session.Invoice.Amount);
        Assert.Equal("Doe", session.Invoice.BillingAddress?.Surname);
        Assert.Equal(79.95m, session.Invoice.Items[0].UnitPrice);
        Assert.Equal("https://example.com#/checkout", session.PaymentAuthorizationRedirectUrl);
    }

    [Fact]
    public async Task Sends_the_token_url_encoded_in_the_query()
    {
        await using var server = await LoopbackServer.AnsweringAsync(200);

        Assert.True(await Client(server.BaseUrl).ValidatePublicTokenAsync("a+b/c=="));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/public/custom-payment-gateway/validate?publicToken=a%2Bb%2Fc%3D%3D", request.PathAndQuery);
    }

    [Fact]
    public async Task A_4xx_session_is_null_and_is_not_retried()
    {
        await using var server = await LoopbackServer.AnsweringAsync(404);

        Assert.Null(await Client(server.BaseUrl).GetPaymentSessionAsync("tok"));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_5xx_is_retried_three_times_then_surfaces_as_SnipcartException()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503, """{"message":"down"}""");

        var ex = await Assert.ThrowsAsync<SnipcartException>(() => Client(server.BaseUrl).ValidatePublicTokenAsync("tok"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("down", ex.ResponseBody);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task A_transient_5xx_on_the_session_is_retried_and_then_succeeds()
    {
        var (session, token) = _sandbox.NewSession();
        _sandbox.State.FailNext(SimulatedEndpoint.PaymentSession, 502);

        var read = await SandboxClient().GetPaymentSessionAsync(token);

        Assert.Equal(session.Id, read?.Id);
    }

    [Fact]
    public async Task Malformed_session_json_is_a_SnipcartException()
    {
        await using var server = await LoopbackServer.AnsweringAsync(200, """{"id": "x", "invoice": {"currency": """);

        await Assert.ThrowsAsync<SnipcartException>(() => Client(server.BaseUrl).GetPaymentSessionAsync("tok"));
    }

    [Fact]
    public async Task A_hanging_server_times_out_into_SnipcartException()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));

        var ex = await Assert.ThrowsAsync<SnipcartException>(() => Client(server.BaseUrl, timeout: "00:00:00.200").ValidatePublicTokenAsync("tok"));

        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Network_errors_are_SnipcartException()
    {
        var ex = await Assert.ThrowsAsync<SnipcartException>(() => Client("http://127.0.0.1:9").ValidatePublicTokenAsync("tok"));
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task Create_payment_confirms_the_session_with_the_live_key_and_returns_the_return_url()
    {
        var (session, _) = _sandbox.NewSession(SandboxMode.Live);

        var response = await SandboxClient().CreatePaymentAsync(PaymentMode.Live, new SnipcartPaymentRequest
        {
            PaymentSessionId = session.Id,
            State = "processed",
            TransactionId = "sp_123",
            Links = new SnipcartPaymentLinks("https://gateway.example/api/refunds?ref=abc"),
        });

        Assert.Equal($"{_sandbox.BaseUrl}/store/orders/{session.Id}", response.ReturnUrl);
        Assert.Equal(1, _sandbox.State.ConfirmationsFor(session.Id));
        var call = Assert.Single(_sandbox.State.PaymentCallsFor(session.Id));
        Assert.Equal(SandboxMode.Live, call.KeyMode);
        Assert.Equal("https://gateway.example/api/refunds?ref=abc", _sandbox.State.GetSession(session.Id)?.RefundsUrl);
    }

    [Fact]
    public async Task Create_payment_sends_camel_case_json_and_the_bearer_key_of_its_mode()
    {
        await using var server = await LoopbackServer.AnsweringAsync(200, """{"returnUrl":"https://app.snipcart.com/r"}""");
        var client = Client(server.BaseUrl);
        var request = new SnipcartPaymentRequest { PaymentSessionId = "s-1", State = "failed", TransactionId = "t-1", Error = new SnipcartPaymentError("card_declined", "Declined") };

        await client.CreatePaymentAsync(PaymentMode.Test, request);
        await client.CreatePaymentAsync(PaymentMode.Live, request);

        var calls = server.Requests.ToArray();
        Assert.Equal("Bearer " + SandboxFactory.TestKey, calls[0].Headers["Authorization"]);
        Assert.Equal("Bearer " + SandboxFactory.LiveKey, calls[1].Headers["Authorization"]);
        Assert.Equal("application/json", calls[0].Headers["Content-Type"]);
        Assert.Equal("/private/custom-payment-gateway/payment", calls[0].PathAndQuery);
        Assert.Equal("""{"paymentSessionId":"s-1","state":"failed","transactionId":"t-1","error":{"code":"card_declined","message":"Declined"}}""", calls[0].Body);
    }

    [Fact]
    public async Task Create_payment_is_sent_exactly_once_even_when_snipcart_answers_503()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503, "busy");

        var ex = await Assert.ThrowsAsync<SnipcartException>(() => Client(server.BaseUrl).CreatePaymentAsync(PaymentMode.Test,
            new SnipcartPaymentRequest { PaymentSessionId = "s", State = "processed", TransactionId = "t" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal("busy", ex.ResponseBody);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Create_payment_refused_by_the_simulator_carries_status_and_body()
    {
        var (session, _) = _sandbox.NewSession(SandboxMode.Live);

        // The client signs with the test key; the session is live.
        var ex = await Assert.ThrowsAsync<SnipcartException>(() => SandboxClient().CreatePaymentAsync(PaymentMode.Test,
            new SnipcartPaymentRequest { PaymentSessionId = session.Id, State = "processed", TransactionId = "t" }));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Contains("unauthorized", ex.ResponseBody);
        Assert.Equal(0, _sandbox.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task Create_payment_without_the_modes_key_names_the_setting()
    {
        var client = Client("http://127.0.0.1:9", liveKey: null);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => client.CreatePaymentAsync(PaymentMode.Live,
            new SnipcartPaymentRequest { PaymentSessionId = "s", State = "processed", TransactionId = "t" }));

        Assert.Contains("Snipcart__SecretKeys__Live", ex.Message);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://payment.snipcart.com/api")]
    public void A_bad_api_base_url_fails_validation_naming_the_setting(string url)
    {
        using var services = Services(url);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SnipcartOptions>>().Value);

        Assert.Contains("Snipcart__ApiBaseUrl", ex.Message);
    }

    [Fact]
    public void Defaults_point_at_snipcart_with_a_15_second_timeout()
    {
        var options = new SnipcartOptions();
        Assert.Equal("https://payment.snipcart.com/api", options.ApiBaseUrl);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Timeout);
    }
}
