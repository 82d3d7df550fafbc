using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Gateways.Stripe;

namespace WgStream.Grains.Sponsorship;

public static class SponsorshipModule
{
    /// <summary>Options (validated when the host starts), the Stripe gateway and the sponsorship tables.</summary>
    public static ISiloBuilder AddSponsorship(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
        services.AddOptions<SponsorshipOptions>()
            .Bind(configuration.GetSection(SponsorshipOptions.Section))
            .Validate(o => o.IsValid(out _), "Invalid Sponsorship settings: check prices, currencies, periods and the checkout lifetime.")
            .ValidateOnStart();
        services.AddStripeOptions(configuration);
        services.AddSingleton<StripeGateway>();
        services.AddSingleton<SponsorshipPlanStore>();
        services.AddSingleton<CheckoutStore>();
        services.AddSingleton<PaymentEventStore>();
        services.AddSingleton<ChannelSponsorStore>();
        services.AddSingleton<RenewalStore>();
        services.AddSingleton<AccountSponsorshipStore>();
        services.AddSingleton<SponsorSalesStore>();
        services.AddSingleton<SponsorshipDirectoryStore>();
        return silo;
    }
}
