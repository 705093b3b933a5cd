using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace SnipcartGateway.Bench.BareFunctionApp;

/// <summary>
/// The floor for the gateway's payment-methods webhook: read the token from the body, ask the upstream's validate
/// endpoint, answer a JSON array. No options, no providers, no signing, no logging of its own.
/// </summary>
public sealed class BarePaymentMethods(IHttpClientFactory clients)
{
    private static readonly object[] Methods = [new { id = "bare", name = "Bare", checkoutUrl = "http://localhost/checkout/" }];

    [Function("PaymentMethods")]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/snipcart/payment-methods")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var token = body.RootElement.TryGetProperty("publicToken", out var value) ? value.GetString() : null;
        if (string.IsNullOrEmpty(token))
        {
            return new UnauthorizedResult();
        }
        using var response = await clients.CreateClient("upstream").GetAsync(
            "public/custom-payment-gateway/validate?publicToken=" + Uri.EscapeDataString(token), cancellationToken);
        return response.IsSuccessStatusCode ? new JsonResult(Methods) : new UnauthorizedResult();
    }

    [Function("Health")]
    public IActionResult Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        new OkObjectResult(new { status = "ok" });
}
