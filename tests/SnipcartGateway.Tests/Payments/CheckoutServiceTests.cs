using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.Telemetry;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Storage.Support;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Starting a payment at the provider: what the attempt records of the provider's answer (its id, page and expiry,
/// never sooner than the first look), and whatever the provider's create throws, a problem for the shopper (never a
/// 500) and a closed attempt.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckoutServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private async Task<(GatewayProblemException Problem, PaymentAttempt Attempt)> StartFailingAsync(Exception thrown, TimeSpan advance = default)
    {
        string? paymentRef = null;
        _provider.BeforeCreate = request =>
        {
            paymentRef = request.PaymentRef;
            _h.Clock.Advance(advance);
            throw thrown;
        };
        var (_, token) = _h.NewSession();
        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None));
        return (problem, await _h.AttemptAsync(paymentRef!));
    }

    [Fact]
    public async Task An_unexpected_error_from_the_providers_create_fails_the_attempt_and_answers_like_a_refusal()
    {
        var (refused, refusedAttempt) = await StartFailingAsync(new ProviderException("sandboxpay", "Refused.", System.Net.HttpStatusCode.BadRequest));
        // An adapter bug, or an answer it could not read: not a ProviderException.
        var (broken, brokenAttempt) = await StartFailingAsync(new FormatException("Unexpected character in the provider's answer."));

        Assert.Equal(refused.Status, broken.Status);
        Assert.Equal(refused.Code, broken.Code);
        Assert.Equal(refused.Title, broken.Title);
        Assert.InRange(broken.Status, 400, 599);

        Assert.Equal("provider_create_failed", refusedAttempt.FailureCode);
        Assert.Equal("provider_error", brokenAttempt.FailureCode);
        Assert.Equal(PaymentStatus.Failed, brokenAttempt.Status);
        Assert.True(brokenAttempt.Abandoned);
        Assert.True(brokenAttempt.IsSettled);
    }

    private async Task<PaymentAttempt> StartAsync()
    {
        var (_, token) = _h.NewSession();
        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        return await _h.AttemptAsync(started.PaymentRef);
    }

    [Fact]
    public async Task A_started_payment_records_the_order_from_snipcart_and_what_the_provider_answered()
    {
        var (session, token) = _h.NewSession(unitPrice: 20m);

        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);

        var attempt = await _h.AttemptAsync(started.PaymentRef);
        var atProvider = _h.State.FindSandboxPayPaymentByReference(started.PaymentRef)!;
        Assert.Equal((session.Id, "sandboxpay", PaymentMode.Test), (attempt.SessionId, attempt.ProviderId, attempt.Mode));
        Assert.Equal(new Money(42m, "USD"), attempt.Amount);
        Assert.Equal((atProvider.Id, started.RedirectUrl!.OriginalString), (attempt.ProviderPaymentId, attempt.ContinueUrl));
        Assert.Equal((token, session.PaymentAuthorizationRedirectUrl), (attempt.PublicToken, attempt.BackUrl));
        Assert.Equal(session.Invoice.Amount, InvoiceSnapshot.Deserialize(attempt.InvoiceJson)!.Amount);
        Assert.False(string.IsNullOrEmpty(attempt.RefundKey));
        Assert.Equal(attempt.PaymentRef, (await _h.Store.FindPaymentRefAsync("sandboxpay", atProvider.Id))!);
        Assert.Equal((PaymentStatus.Pending, false, null), (attempt.Status, attempt.Abandoned, attempt.FailureCode));
    }

    public static TheoryData<int?, int?, int?> Expiries => new()
    {
        // its checkout lifetime, the expiry it answers (minutes from the create): the expiry kept, in minutes after
        // the attempt's creation (null: the provider's own)
        { null, null, 24 * 60 },
        { 30, null, 30 },
        { 30, 45, null },
        { null, 1, 2 },
        { null, -60, 2 },
    };

    [Theory]
    [MemberData(nameof(Expiries))]
    public async Task The_checkout_expires_when_the_provider_says_else_after_its_lifetime_else_after_abandon_after_never_before_the_first_look(int? lifetime, int? expiresIn, int? keptMinutes)
    {
        if (lifetime is { } minutes)
        {
            _provider.RhythmOverride = new SnipcartGateway.Providers.ProviderRhythm(TimeSpan.FromMinutes(minutes), []);
        }
        DateTimeOffset? answered = null;
        _provider.AfterCreate = created => created with { ExpiresAt = answered = expiresIn is { } m ? _h.Clock.GetUtcNow().AddMinutes(m) : null };

        var attempt = await StartAsync();

        var expected = keptMinutes is { } kept ? attempt.CreatedAt + TimeSpan.FromMinutes(kept) : answered;
        Assert.Equal(expected, attempt.ExpiresAt);
    }

    [Fact]
    public async Task An_order_the_provider_cannot_take_as_it_is_is_a_422_with_the_providers_words_and_a_closed_attempt()
    {
        var (problem, attempt) = await StartFailingAsync(new ProviderOrderRefusedException("sandboxpay", "A yen amount cannot have a fraction."));

        Assert.Equal((422, "order_not_payable", "Sandbox Pay (test only) cannot take this order.", "A yen amount cannot have a fraction."),
            (problem.Status, problem.Code, problem.Title, problem.Detail));
        Assert.Equal(("order_not_payable", "A yen amount cannot have a fraction.", PaymentStatus.Failed, true),
            (attempt.FailureCode, attempt.FailureMessage, attempt.Status, attempt.Abandoned));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Your card issuer is not supported.")]
    public async Task A_provider_refusing_the_create_is_a_502_with_its_message_for_the_shopper_when_it_has_one(string? shopperMessage)
    {
        var (problem, attempt) = await StartFailingAsync(new ProviderException("sandboxpay", "400 invalid_request") { ShopperMessage = shopperMessage }, advance: TimeSpan.FromMinutes(1));

        Assert.Equal((502, "provider_unavailable", "Sandbox Pay (test only) could not start the payment. Please try again.", shopperMessage),
            (problem.Status, problem.Code, problem.Title, problem.Detail));
        Assert.Equal(("provider_create_failed", "400 invalid_request", PaymentStatus.Failed, true), (attempt.FailureCode, attempt.FailureMessage, attempt.Status, attempt.Abandoned));
        // Written when the provider refused (a minute after the attempt was recorded), not left as created.
        Assert.True(attempt.UpdatedAt >= attempt.CreatedAt + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_provider_id_another_payment_already_has_is_not_offered_and_the_attempt_is_flagged()
    {
        var first = await StartAsync();
        _provider.AfterCreate = created => created with { ProviderPaymentId = first.ProviderPaymentId! };
        var (_, token) = _h.NewSession();
        string? paymentRef = null;
        _provider.BeforeCreate = request =>
        {
            paymentRef = request.PaymentRef;
            return Task.CompletedTask;
        };

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None));

        var attempt = await _h.AttemptAsync(paymentRef!);
        Assert.Equal((502, "provider_unavailable"), (problem.Status, problem.Code));
        Assert.Equal(("provider_id_unusable", "The provider's payment id cannot be indexed.", true, first.ProviderPaymentId, true),
            (attempt.FailureCode, attempt.FailureMessage, attempt.NeedsAttention, attempt.ProviderPaymentId, attempt.Abandoned));
        Assert.Null(attempt.ContinueUrl);
        Assert.Equal(first.PaymentRef, await _h.Store.FindPaymentRefAsync("sandboxpay", first.ProviderPaymentId!));
    }

    [Fact]
    public async Task A_started_payment_is_found_by_supports_lookups_and_tags_the_requests_span()
    {
        var (session, token) = _h.NewSession();
        using var span = new Activity("POST /api/checkout/payments").Start();

        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);

        var index = _h.Services.GetRequiredService<PaymentLookupIndex>();
        Assert.Equal([started.PaymentRef], await index.FindAsync(PaymentLookupIndex.Session, session.Id, CancellationToken.None));
        Assert.Equal(started.PaymentRef, span.GetTagItem(GatewayTelemetry.PaymentReferenceAttribute));
        Assert.Equal("sandboxpay", span.GetTagItem(GatewayTelemetry.PaymentProviderAttribute));
    }

    [Fact]
    public async Task A_start_the_shopper_abandons_during_the_create_is_left_pending_for_reconciliation_not_failed()
    {
        using var abandoned = new CancellationTokenSource();
        string? paymentRef = null;
        _provider.BeforeCreate = request =>
        {
            paymentRef = request.PaymentRef;
            // The browser went away while the provider was being asked: whether the payment exists there is unknown.
            abandoned.Cancel();
            abandoned.Token.ThrowIfCancellationRequested();
            return Task.CompletedTask;
        };
        var (_, token) = _h.NewSession();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), abandoned.Token));

        var attempt = await _h.AttemptAsync(paymentRef!);
        Assert.Equal((PaymentStatus.Pending, false, null), (attempt.Status, attempt.Abandoned, attempt.FailureCode));
        Assert.False(attempt.IsSettled);
    }

    [Fact]
    public async Task A_create_cut_by_a_timeout_of_its_own_not_the_shoppers_fails_the_attempt_like_any_unexpected_error()
    {
        var (problem, attempt) = await StartFailingAsync(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout."));

        Assert.Equal((502, "provider_unavailable"), (problem.Status, problem.Code));
        Assert.Equal(("provider_error", nameof(TaskCanceledException), PaymentStatus.Failed, true),
            (attempt.FailureCode, attempt.FailureMessage, attempt.Status, attempt.Abandoned));
    }
}
