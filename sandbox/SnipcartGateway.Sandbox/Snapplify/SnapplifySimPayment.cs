namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>Snapplify's payment states: NEW, ERROR and COMPLETED from its docs, PENDING and PAID from its plugin.</summary>
public static class SnapplifyStates
{
    public const string New = "NEW";
    public const string Pending = "PENDING";
    public const string Completed = "COMPLETED";
    public const string Paid = "PAID";
    public const string Error = "ERROR";
}

/// <summary>A payment as the simulator keeps it. <see cref="Token"/> is the GUID /payment/request answers, which
/// is also the <c>authorisationCode</c> (Snapplify's plugin checks the return's token against it).</summary>
public sealed record SnapplifySimPayment
{
    public required string Client { get; init; }
    public required string Token { get; init; }
    public required string ReferenceCode { get; init; }
    public required string TransactionId { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    public string? Country { get; init; }
    public string? Description { get; init; }
    public required string RedirectUrl { get; init; }
    public string? DeclinedUrl { get; init; }
    public string? NotificationUrl { get; init; }
    public string PaymentState { get; init; } = SnapplifyStates.New;
    public string? PaymentMethod { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public bool Validated { get; init; }
    public string? ValidatedToken { get; init; }
    public required DateTimeOffset CreatedDate { get; init; }
    public required DateTimeOffset UpdatedDate { get; init; }
    public DateTimeOffset? CompletedDate { get; init; }
    public DateTimeOffset? ValidatedDate { get; init; }

    /// <summary>The payment object of Snapplify's IPN example (every field, nulls included).</summary>
    public object ToWire(SnapplifyValidateOverride? tamper = null) => new
    {
        createdDate = Date(CreatedDate),
        updatedDate = Date(UpdatedDate),
        authorisationCode = Token,
        referenceCode = tamper?.ReferenceCode ?? ReferenceCode,
        transactionId = TransactionId,
        gatewayId = "MOCK",
        gatewayProvider = "MOCK",
        completedDate = CompletedDate is { } c ? Date(c) : null,
        country = Country,
        currency = tamper?.Currency ?? Currency,
        amount = tamper?.Amount ?? Amount,
        paymentMethod = PaymentMethod,
        paymentState = PaymentState,
        errorMessage = ErrorMessage,
        errorCode = ErrorCode,
        validated = tamper?.Validated ?? Validated,
        validatedDate = ValidatedDate is { } v ? Date(v) : null,
        validatedToken = ValidatedToken,
    };

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A test's lie in /payment/validate answers for one payment (another amount, currency or reference, or
/// <c>validated: false</c>).</summary>
public sealed record SnapplifyValidateOverride(decimal? Amount = null, string? Currency = null, string? ReferenceCode = null, bool? Validated = null);

/// <summary>One IPN delivery attempt.</summary>
public sealed record SnapplifyIpnAttempt(DateTimeOffset At, string Token, string Url, string Body, int Attempt, int? StatusCode, string? Error);

/// <summary>A forced answer of /payment/request: <paramref name="HttpStatus"/> with <c>{code, message}</c>.</summary>
public sealed record SnapplifyRequestFault(int HttpStatus, string Code, string Message);
