namespace SnipcartGateway.Payments;

// SKELETON: the payment flow work fills this in.
public static class PaymentsServiceCollectionExtensions
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration) => services;
}
