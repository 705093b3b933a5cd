namespace SnipcartGateway.Api;

// SKELETON: the payment flow work fills this in.
public static class ProviderCallbacksApi
{
    public static IEndpointRouteBuilder MapProviderCallbacksApi(this IEndpointRouteBuilder app) => app;
}
