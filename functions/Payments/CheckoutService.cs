using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Hosting.Telemetry;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

public sealed record StartPaymentCommand(string? PublicToken, string? ProviderId, string? Mode, string? Signature);

/// <summary>A checkout link whose token and signature were checked: the order it is for, the provider and mode.</summary>
public sealed record CheckoutLink(SnipcartPaymentSession Session, IPaymentProvider Provider, PaymentMode Mode);

public sealed record StartedPayment(string PaymentRef, Uri? RedirectUrl, IReadOnlyDictionary<string, string>? Widget);

/// <summary>
/// Starts a payment: the token is validated again and the session fetched on the server (the amount never
/// comes from the browser), the session is taken for this attempt (one payment in flight per session), the
/// attempt is recorded, then the provider is asked to create the payment.
/// </summary>
public sealed class CheckoutService(
    ISnipcartClient snipcart,
    IProviderRegistry providers,
    IPaymentStore store,
    IAttemptIndex index,
    GatewayUrls urls,
    TimeProvider time,
    CheckoutLinkSigner signer,
    PaymentInFlightGuard inFlight,
    Microsoft.Extensions.Options.IOptions<PaymentsOptions> options,
    ILogger<CheckoutService> logger)
{
    public async Task<StartedPayment> StartAsync(StartPaymentCommand command, CancellationToken cancellationToken)
    {
        var link = await OpenLinkAsync(command, cancellationToken);
        var (session, provider, mode) = (link.Session, link.Provider, link.Mode);
        var amount = PayableAmount(session.Invoice, provider, mode);

        var paymentRef = PaymentReferences.NewPaymentRef();
        await inFlight.ReserveAsync(session.Id, paymentRef, cancellationToken);

        var now = time.GetUtcNow();
        var attempt = new PaymentAttempt
        {
            PaymentRef = paymentRef,
            SessionId = session.Id,
            ProviderId = provider.Id,
            Mode = mode,
            Amount = amount,
            InvoiceJson = InvoiceSnapshot.Serialize(session.Invoice),
            BackUrl = session.PaymentAuthorizationRedirectUrl,
            RefundKey = PaymentReferences.NewRefundKey(),
            PublicToken = command.PublicToken,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var version = await store.AddAttemptAsync(attempt, cancellationToken);
        GatewayTelemetry.TagPayment(attempt.PaymentRef, provider.Id);
        // Insert-only rows for support's lookups by session id, invoice number and cart id.
        await index.IndexAsync(attempt, cancellationToken);

        var created = await CreateAtProviderAsync(attempt, version, provider, session.Invoice, cancellationToken);
        await RecordCreatedAsync(attempt, version, provider, created);
        logger.LogInformation("Started payment {PaymentRef} for session {SessionId} with {Provider} ({Amount})", attempt.PaymentRef, session.Id, provider.Id, amount);
        return new StartedPayment(attempt.PaymentRef, created.RedirectUrl, created.Widget?.ToPageModel());
    }

    /// <summary>The amount to pay, from Snipcart's session (never the browser), if this provider can take it.</summary>
    private static Money PayableAmount(SnipcartInvoice invoice, IPaymentProvider provider, PaymentMode mode)
    {
        if (!CurrencyCodes.IsValid(invoice.Currency) || invoice.Amount <= 0)
        {
            throw new GatewayProblemException(422, "invalid_invoice", "The payment session has no valid amount or currency.");
        }
        var amount = new Money(invoice.Amount, invoice.Currency);
        if (decimal.Round(amount.Amount, CurrencyCodes.MinorUnitDigits(amount.Currency)) != amount.Amount)
        {
            throw new GatewayProblemException(422, "invalid_invoice", $"The order total {amount} has more decimals than {amount.Currency} allows.");
        }
        if (!provider.Supports(mode, amount.Currency, invoice.BillingAddress?.Country))
        {
            throw new GatewayProblemException(422, "provider_unavailable", $"{provider.DisplayName} is not available for this order.");
        }
        return amount;
    }

    /// <summary>Asks the provider to create the payment; any failure is recorded on the attempt and becomes a problem.</summary>
    private async Task<ProviderPaymentCreated> CreateAtProviderAsync(PaymentAttempt attempt, string version, IPaymentProvider provider, SnipcartInvoice invoice, CancellationToken cancellationToken)
    {
        try
        {
            return await provider.CreatePaymentAsync(new ProviderPaymentRequest
            {
                PaymentRef = attempt.PaymentRef,
                Mode = attempt.Mode,
                Amount = attempt.Amount,
                Description = OrderDescription.For(invoice),
                OrderNumber = OrderDescription.NumberOf(invoice),
                Invoice = invoice,
                ReturnUrl = urls.Return(attempt.PaymentRef),
                CancelUrl = urls.Cancel(attempt.PaymentRef),
                NotificationUrl = urls.Notifications(provider.Id, attempt.Mode),
                Language = invoice.Language,
            }, cancellationToken);
        }
        catch (ProviderOrderRefusedException ex)
        {
            // Nothing was sent: the order as Snipcart has it cannot be paid this way. A 4xx the page shows as is.
            logger.LogWarning("{Provider} cannot take payment {PaymentRef} as it is: {Reason}", provider.Id, attempt.PaymentRef, ex.Message);
            await CreateFailedAsync(attempt, version, provider, "order_not_payable", ex.Message);
            throw new GatewayProblemException(422, "order_not_payable", $"{provider.DisplayName} cannot take this order.", ex.Message);
        }
        catch (ProviderException ex)
        {
            if (OutboundFailures.WasNotSent(ex))
            {
                // The breaker refused the call: the provider was never asked, so it refused nothing.
                logger.LogWarning("{Provider} was not asked to create payment {PaymentRef}: its circuit breaker is open (recent calls failed)", provider.Id, attempt.PaymentRef);
            }
            else
            {
                logger.LogWarning(ex, "{Provider} refused to create payment {PaymentRef} ({Status} {Code})", provider.Id, attempt.PaymentRef, ex.StatusCode, ex.ErrorCode);
            }
            throw await CreateFailedAsync(attempt, version, provider, "provider_create_failed", ex.Message, ex.ShopperMessage);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // An adapter's bug or an unexpected answer (not a ProviderException): the same outcome for the shopper
            // as a refusal, and a record of it for us, rather than a 500 and an attempt left half-written.
            logger.LogError(ex, "{Provider} failed unexpectedly creating payment {PaymentRef}", provider.Id, attempt.PaymentRef);
            throw await CreateFailedAsync(attempt, version, provider, "provider_error", ex.GetType().Name);
        }
    }

    /// <summary>Indexes the provider's id and records what its create answered, before the shopper leaves our page.</summary>
    private async Task RecordCreatedAsync(PaymentAttempt attempt, string version, IPaymentProvider provider, ProviderPaymentCreated created)
    {
        // A notification that names only the provider's id must find us.
        try
        {
            await store.IndexProviderPaymentIdAsync(provider.Id, created.ProviderPaymentId, attempt.PaymentRef, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ConcurrencyConflictException or ArgumentException)
        {
            // The provider answered an id another payment already has (or one no table key can hold): its
            // notifications could not be told apart, so this payment is not offered to the shopper.
            logger.LogError(ex, "{Provider} answered payment id {ProviderPaymentId} for {PaymentRef}, which cannot be indexed: not offered", provider.Id, created.ProviderPaymentId, attempt.PaymentRef);
            attempt.ProviderPaymentId = created.ProviderPaymentId;
            attempt.NeedsAttention = true;
            throw await CreateFailedAsync(attempt, version, provider, "provider_id_unusable", "The provider's payment id cannot be indexed.");
        }
        attempt.ProviderPaymentId = created.ProviderPaymentId;
        attempt.ContinueUrl = created.RedirectUrl?.OriginalString;
        ProviderData.Merge(attempt.ProviderData, created.ProviderData);
        attempt.UpdatedAt = time.GetUtcNow();
        // Never sooner than reconciliation's first look: a provider's expiry in the past (clock skew, a time zone
        // mistake) must not void a checkout the shopper is still paying.
        var expiresAt = created.ExpiresAt ?? attempt.CreatedAt + (provider.Rhythm.CheckoutLifetime ?? options.Value.AbandonAfter);
        var earliest = attempt.CreatedAt + options.Value.ReconcileAfter;
        attempt.ExpiresAt = expiresAt < earliest ? earliest : expiresAt;
        await store.UpdateAttemptAsync(attempt, version, CancellationToken.None);
    }

    /// <summary>
    /// The checkout link as the page holds it, checked before anything is recorded: the token is validated again and
    /// the session fetched on the server, and the link's signature must fit this order, provider and mode (see
    /// <see cref="CheckoutLinkSigner"/>; a mode without a Snipcart secret key is never signed, so it is refused too).
    /// </summary>
    public async Task<CheckoutLink> OpenLinkAsync(StartPaymentCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.PublicToken))
        {
            throw new GatewayProblemException(400, "missing_token", "publicToken is required.");
        }
        if (!PaymentModes.TryParse(command.Mode, out var mode))
        {
            throw new GatewayProblemException(400, "invalid_mode", "mode must be 'test' or 'live'.");
        }
        var provider = providers.Find(command.ProviderId)
            ?? throw new GatewayProblemException(422, "provider_unavailable", $"There is no payment provider '{command.ProviderId}'.");
        if (string.IsNullOrWhiteSpace(command.Signature))
        {
            throw InvalidLink();
        }
        var session = await FetchSessionAsync(command.PublicToken, cancellationToken);
        if (!signer.IsValid(provider.Id, mode, session.Invoice, command.Signature))
        {
            throw InvalidLink();
        }
        return new CheckoutLink(session, provider, mode);
    }

    private static GatewayProblemException InvalidLink() =>
        new(403, "invalid_checkout_link", "This checkout link is not valid.", "Go back to the store and choose the payment method again.");

    /// <summary>Closes an attempt the provider did not create. Nothing was sent to Snipcart: the shopper is still
    /// on our page and may try again.</summary>
    private async Task<GatewayProblemException> CreateFailedAsync(PaymentAttempt attempt, string version, IPaymentProvider provider, string code, string message, string? shopperMessage = null)
    {
        attempt.Abandoned = true;
        attempt.Status = PaymentStatus.Failed;
        attempt.FailureCode = code;
        attempt.FailureMessage = message;
        attempt.UpdatedAt = time.GetUtcNow();
        await store.UpdateAttemptAsync(attempt, version, CancellationToken.None);
        return new GatewayProblemException(502, "provider_unavailable", $"{provider.DisplayName} could not start the payment. Please try again.", shopperMessage);
    }

    private async Task<SnipcartPaymentSession> FetchSessionAsync(string publicToken, CancellationToken cancellationToken)
    {
        try
        {
            if (!await snipcart.ValidatePublicTokenAsync(publicToken, cancellationToken))
            {
                throw GatewayProblemException.InvalidToken();
            }
            return await snipcart.GetPaymentSessionAsync(publicToken, cancellationToken) ?? throw GatewayProblemException.InvalidToken();
        }
        catch (SnipcartException ex)
        {
            logger.LogWarning(ex, "Snipcart did not answer ({Status})", ex.StatusCode);
            throw GatewayProblemException.SnipcartUnavailable();
        }
    }
}
