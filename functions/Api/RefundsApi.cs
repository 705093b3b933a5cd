using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Api;

/// <summary>
/// Snipcart's refund webhook: the URL we gave as links.refunds, with our payment reference in the path.
/// Answers {"refundId": ...}; the same request twice gives the same refundId and one provider refund.
/// </summary>
public sealed class RefundsApi(RefundService refunds)
{
    [Function("SnipcartRefunds")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/snipcart/refunds/{paymentRef}")] HttpRequest request,
        string paymentRef,
        CancellationToken cancellationToken) =>
        HandleAsync(paymentRef, request, refunds, cancellationToken);

    internal static async Task<IResult> HandleAsync(string paymentRef, HttpRequest request, RefundService refunds, CancellationToken cancellationToken)
    {
        SnipcartRefundRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SnipcartRefundRequest>(request.Body, SnipcartJson.Read, cancellationToken);
        }
        catch (JsonException)
        {
            return ProblemResults.Of(400, "invalid_body", "The body is not valid JSON.");
        }
        if (body is null)
        {
            return ProblemResults.Of(400, "invalid_body", "A JSON body with the amount is required.");
        }
        var token = body.PublicToken ?? request.Query["publicToken"].FirstOrDefault();
        var key = request.Query["key"].FirstOrDefault();
        var refundId = await refunds.RefundAsync(new RefundCommand(paymentRef, key, body.Amount, body.PaymentId, token), cancellationToken);
        return Results.Ok(new { refundId });
    }
}
