using SnipcartGateway.Hosting;
using SnipcartGateway.Storage.Support;

namespace SnipcartGateway.Support;

public static class SupportServiceCollectionExtensions
{
    public static IServiceCollection AddSupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.Days >= 1, "Retention__Days must be a whole number of days, at least 1.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Retention__BatchSize must be between 1 and 1000.")
            .ValidateOnStart();
        services.AddSingleton<PaymentLookupIndex>();
        services.AddSingleton<Domain.IAttemptIndex>(sp => sp.GetRequiredService<PaymentLookupIndex>());
        services.AddSingleton<SessionReader>();
        services.AddSingleton<SupportActionLog>();
        services.AddSingleton<AttentionQuery>();
        services.AddSingleton<RetentionSweeper>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<SupportService>();
        services.AddSingleton<SupportPageFiles>();
        return services;
    }
}
