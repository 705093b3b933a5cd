namespace SnipcartGateway.Api;

// SKELETON: the payment flow work fills this in.
public static class RefundsApi
{
    public static IEndpointRouteBuilder MapRefundsApi(this IEndpointRouteBuilder app) => app;
}
