namespace SnipcartGateway.Api;

// SKELETON: the payment flow work fills this in.
public static class CheckoutApi
{
    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app) => app;
}
