using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;
using Azure.Data.Tables;

namespace SnipcartGateway.Payments;

public static class PaymentsServiceCollectionExtensions
{
    public static IServiceCollection AddPayments(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PaymentsOptions>().Bind(configuration.GetSection("Payments"));
        services.AddSingleton(sp => CreateUrls(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new PaymentTables(
            sp.GetRequiredService<TableServiceClient>(),
            TablePrefix(sp.GetRequiredService<IConfiguration>())));
        services.AddSingleton<IPaymentStore, TablePaymentStore>();
        services.AddSingleton<CheckoutLinkSigner>();
        services.AddSingleton<CheckoutService>();
        services.AddSingleton<PaymentInFlightGuard>();
        services.AddSingleton<ShopperCancellation>();
        services.AddSingleton<LateMoneyRecorder>();
        services.AddSingleton<PaymentMetrics>();
        services.AddSingleton<ProviderLookups>();
        services.AddSingleton<SessionClaims>();
        services.AddSingleton<SnipcartConfirmer>();
        services.AddSingleton<AttemptRecorder>();
        services.AddSingleton<GiveBackService>();
        services.AddSingleton<PaymentFinisher>();
        services.AddSingleton<RefundService>();
        services.AddSingleton<ReconciliationService>();
        services.AddSingleton<AttentionFlagger>();
        services.AddSingleton<RefundFollowUpService>();
        services.AddSingleton<ManualRefundService>();
        return services;
    }

    private static GatewayUrls CreateUrls(IConfiguration configuration)
    {
        var publicBase = configuration["Gateway:PublicBaseUrl"];
        if (!Uri.TryCreate(publicBase, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException("Gateway__PublicBaseUrl must be the gateway's public http(s) URL, e.g. https://pay.example.com.");
        }
        var page = configuration["Gateway:CheckoutPageUrl"];
        Uri? pageUri = null;
        if (!string.IsNullOrWhiteSpace(page) && (!Uri.TryCreate(page, UriKind.Absolute, out pageUri) || pageUri.Scheme is not ("http" or "https")))
        {
            throw new InvalidOperationException("Gateway__CheckoutPageUrl must be an absolute http(s) URL when set.");
        }
        return new GatewayUrls(baseUri, pageUri);
    }

    private static string TablePrefix(IConfiguration configuration)
    {
        var prefix = configuration["Storage:TablePrefix"] ?? "gw";
        if (prefix.Length > 20 || !prefix.All(char.IsAsciiLetterOrDigit) || (prefix.Length > 0 && !char.IsAsciiLetter(prefix[0])))
        {
            throw new InvalidOperationException("Storage__TablePrefix must be up to 20 letters and digits, starting with a letter.");
        }
        return prefix;
    }
}
