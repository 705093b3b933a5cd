namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>The simulated SmartPay merchant account (section <c>Sandbox:JpmSmartPay</c>): what SmartPay's Product
/// Solutions Specialist would hand a merchant, and what the merchant registered for notifications.</summary>
public sealed class JpmSmartPaySandboxSettings
{
    public const string SectionName = "Sandbox:JpmSmartPay";

    public string MerchantKey { get; set; } = "3227a1df-5f0e-4e8e-9d55-6b0a6f5b2c11";

    /// <summary>Basic scheme password.</summary>
    public string AuthenticationKey { get; set; } = "jpm-sandbox-authentication-key";

    /// <summary>OAuth client credentials.</summary>
    public string ClientId { get; set; } = "jpm-sandbox-client";

    public string ClientSecret { get; set; } = "jpm-sandbox-client-secret";

    /// <summary>Lifetime of issued access tokens (SmartPay's Cognito answers expires_in 3600).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Where notifications go (registered once per merchant with SmartPay's Customer Support); default
    /// {Sandbox:GatewayUrl}/api/providers/jpmsmartpay/notifications.</summary>
    public string? NotificationUrl { get; set; }

    public string NotificationUsername { get; set; } = "jpm-notify";

    public string NotificationPassword { get; set; } = "jpm-notify-password";

    /// <summary>How long a checkout token can be used in the widget.</summary>
    public TimeSpan CheckoutLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The merchant account's auto-capture (SmartPay sets it per merchant; the docs: AUTHORIZATION_COMPLETED
    /// "if auto-capture = off or delayed", CAPTURED "if auto-capture = on or capture API called"). Off: a payment in the
    /// widget stays AUTHORIZATION_COMPLETED until <c>POST /payment/capture</c>.</summary>
    public bool AutoCapture { get; set; } = true;

    /// <summary>How long an authorisation can be captured, counted from AUTHORIZATION_COMPLETED. SmartPay does not
    /// document it (card schemes hold authorisations for days), so null, the default, never lapses: a test switch,
    /// like the expire-authorization hook. A capture after it is refused 422 AUTHORIZATION_EXPIRED.</summary>
    public TimeSpan? AuthorizationLifetime { get; set; }

    /// <summary>Whether cancelOrRefund cancels a checkout nobody has paid in (CREATED). SmartPay's docs are silent:
    /// true cancels it; false answers 422 TRANSACTION_NOT_MODIFIABLE (the checkout then expires on its own).</summary>
    public bool CancelCreated { get; set; } = true;

    /// <summary>Whether modification answers list the transaction's modifications (the unified response model does;
    /// its entries are cut off in the docs). False answers a refund 2xx with no entry carrying its modificationId.</summary>
    public bool ModificationsInAnswers { get; set; } = true;
}
