using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// What a refund request must hold before anything is recorded or sent: a well-formed reference, a positive amount
/// in the currency's minor unit, the refund key, a valid public token when one is given, a confirmed payment and a
/// provider still configured. Each refusal tells the caller why, and reserves and sends nothing.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefundRequestValidationTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private const string WellFormedUnknownRef = "pay_00000000000000000000000000";

    public static TheoryData<string, int, string, string> Refusals => new()
    {
        // The reference is checked before anything in the body: an unknown one is a 404 whatever the amount.
        { "malformed reference, zero amount", 404, "payment_not_found", "There is no such payment." },
        { "unknown reference", 404, "payment_not_found", "There is no such payment." },
        { "no amount", 400, "invalid_amount", "amount must be a positive number." },
        { "zero", 400, "invalid_amount", "amount must be a positive number." },
        { "negative", 400, "invalid_amount", "amount must be a positive number." },
        { "a tenth of a cent", 400, "invalid_amount", "USD amounts have at most 2 decimals." },
        { "no key", 401, "invalid_refund_key", "This refund URL is not valid." },
        // The key is checked first: a caller without it never makes us ask Snipcart about its token.
        { "wrong key and a forged token", 401, "invalid_refund_key", "This refund URL is not valid." },
        { "forged token", 401, "invalid_token", "The payment session token is unknown or expired." },
        { "a cent more than was paid", 422, "amount_exceeds_refundable", "At most 104.90 USD can still be refunded." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_request_says_why_and_records_reserves_and_sends_nothing(string request, int status, string code, string message)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        Assert.Equal(104.90m, attempt.Amount.Amount);
        var (paymentRef, key) = (attempt.PaymentRef, attempt.RefundKey);
        var command = request switch
        {
            "malformed reference, zero amount" => new RefundCommand("not-a-ref", key, 0m, null, null),
            "unknown reference" => new RefundCommand(WellFormedUnknownRef, key, 10m, null, null),
            "no amount" => new RefundCommand(paymentRef, key, null, null, null),
            "zero" => new RefundCommand(paymentRef, key, 0m, null, null),
            "negative" => new RefundCommand(paymentRef, key, -5m, null, null),
            "a tenth of a cent" => new RefundCommand(paymentRef, key, 1.001m, null, null),
            "no key" => new RefundCommand(paymentRef, null, 10m, null, null),
            "wrong key and a forged token" => new RefundCommand(paymentRef, "guessed", 10m, null, "forged"),
            "forged token" => new RefundCommand(paymentRef, key, 10m, null, "forged"),
            "a cent more than was paid" => new RefundCommand(paymentRef, key, 104.91m, null, null),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(command, CancellationToken.None));

        Assert.Equal((status, code, message), (problem.Status, problem.Code, problem.Message));
        await AssertNothingRecordedAsync(attempt);
    }

    [Fact]
    public async Task A_payment_never_confirmed_has_nothing_to_refund()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        var attempt = await _h.AttemptAsync(paymentRef);

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Refunds.RefundAsync(new RefundCommand(paymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None));

        Assert.Equal((409, "not_paid", "This payment was never confirmed, there is nothing to refund."), (problem.Status, problem.Code, problem.Message));
        await AssertNothingRecordedAsync(attempt);
    }

    [Theory]
    [InlineData("valid")]
    [InlineData("")]
    [InlineData(null)]
    public async Task A_valid_public_token_or_none_lets_the_refund_through(string? token)
    {
        var (session, attempt) = await _h.PaidPaymentAsync();
        var publicToken = token == "valid" ? _h.State.MintToken(session.Id) : token;

        var refundId = await _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, publicToken), CancellationToken.None);

        Assert.Equal(refundId, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).RefundId);
        Assert.Equal(10m, Assert.Single(_h.State.SandboxPayRefunds).Amount);
    }

    [Fact]
    public async Task Snipcart_unreachable_for_the_token_check_is_a_502_and_refunds_nothing()
    {
        var (session, attempt) = await _h.PaidPaymentAsync();
        var token = _h.State.MintToken(session.Id);
        _h.State.FailNext(SimulatedEndpoint.Validate, 503, times: 4);

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, token), CancellationToken.None));

        Assert.Equal((502, "snipcart_unavailable"), (problem.Status, problem.Code));
        await AssertNothingRecordedAsync(attempt);
    }

    [Fact]
    public async Task A_payment_whose_provider_is_no_longer_configured_is_refused_and_nothing_is_reserved()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        // The same tables, served by a deployment that no longer configures Sandbox Pay.
        var withoutProviders = _h.Build(s => s.RemoveAll<IPaymentProvider>());
        var refunds = withoutProviders.GetRequiredService<RefundService>();

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None));

        Assert.Equal((409, "provider_unavailable", "The provider 'sandboxpay' is no longer configured."), (problem.Status, problem.Code, problem.Message));
        await AssertNothingRecordedAsync(attempt);
    }

    public static TheoryData<string?, bool> PaymentIds => new()
    {
        { null, false },
        { "", false },
        { "the transaction id", false },
        { "the payment reference", false },
        { "pay_someotherpayment0000000000", true },
    };

    [Theory]
    [MemberData(nameof(PaymentIds))]
    public async Task The_reference_in_the_path_decides_and_a_paymentId_naming_another_payment_is_logged(string? paymentId, bool logged)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        Assert.NotNull(attempt.TransactionId);
        var named = paymentId switch
        {
            "the transaction id" => attempt.TransactionId,
            "the payment reference" => attempt.PaymentRef,
            _ => paymentId,
        };
        var logs = new InformationLogs();
        var refunds = _h.Build(s => s.AddSingleton<ILoggerProvider>(logs)).GetRequiredService<RefundService>();

        var refundId = await refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, named, null), CancellationToken.None);

        // Refunded from the payment in the path, whatever paymentId says.
        Assert.Equal(refundId, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).RefundId);
        Assert.Equal(attempt.ProviderPaymentId, Assert.Single(_h.State.SandboxPayRefunds).Payment);
        var expected = $"Refund for {attempt.PaymentRef} names paymentId {named}";
        Assert.Equal(logged, logs.Messages.Contains(expected));
    }

    private async Task AssertNothingRecordedAsync(PaymentAttempt attempt)
    {
        Assert.Empty(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
        Assert.Empty(_h.State.SandboxPayRefunds);
    }

    /// <summary>Every log line from Information up, for what the operator is told about a request.</summary>
    private sealed class InformationLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(InformationLogs owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    owner._messages.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
