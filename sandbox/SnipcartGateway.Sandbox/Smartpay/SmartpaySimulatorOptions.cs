namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>Settings of the Smartpay simulator (section <c>Sandbox:Smartpay</c>).</summary>
public sealed class SmartpaySimulatorOptions
{
    public const string SectionName = "Sandbox:Smartpay";

    /// <summary>The test-mode secret key merchants send as <c>Authorization: Basic &lt;key&gt;</c>.</summary>
    public string? TestSecretKey { get; set; } = "sk_test_sandboxSmartpayLocal";

    /// <summary>A live-mode key, if a test needs one (objects of one mode are invisible to the other).</summary>
    public string? LiveSecretKey { get; set; }

    /// <summary>
    /// A test-mode webhook endpoint registered at start-up, as a merchant would with POST /webhook-endpoints (null:
    /// the gateway's own, <c>{Sandbox:GatewayUrl}/api/providers/smartpay/notifications?mode=test</c>; empty: none).
    /// </summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The Base62 signing secret of that endpoint (the gateway's <c>Providers__Smartpay__Test__SigningSecret</c>).</summary>
    public string? WebhookSigningSecret { get; set; } = "sandboxSmartpaySigningSecret0local";

    /// <summary>First wait before a webhook is sent again after an answer other than 200 (doubles, capped at a minute).</summary>
    public TimeSpan WebhookRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Deliveries of one event before it is given up.</summary>
    public int WebhookMaxAttempts { get; set; } = 12;

    /// <summary>How long a checkout session may be completed.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long an order authorised under manual capture can be captured (its <c>expiresAt</c>: the docs say
    /// capture is impossible after it, not how long it is; 30 days is this simulator's choice). Tests shorten it, or
    /// use <see cref="SmartpayState.ExpireAuthorization"/>.</summary>
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The docs let an order be cancelled before capture but do not say whether one still awaiting the
    /// shopper's authorisation can be (<c>Sandbox__Smartpay__CancelAwaitingAuthorization</c>): true (default) cancels
    /// it; false refuses it with <c>order.cannot-cancel</c>, the other reading.</summary>
    public bool CancelAwaitingAuthorization { get; set; } = true;
}
