namespace SnipcartGateway.Api;

// SKELETON: the payment flow work fills this in.
public static class PaymentMethodsApi
{
    public static IEndpointRouteBuilder MapPaymentMethodsApi(this IEndpointRouteBuilder app) => app;
}
