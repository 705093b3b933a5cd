namespace SnipcartGateway.Api;

// SKELETON: the payment flow work fills this in.
public static class ReconciliationFunction
{
    public static IEndpointRouteBuilder MapReconciliationFunction(this IEndpointRouteBuilder app) => app;
}
