using WgStream.Api.GraphQL;
using WgStream.Gateways.Stripe;

namespace WgStream.Api.Sponsorship;

/// <summary>Plans, checkouts and the sponsor list over GraphQL, and Stripe's webhooks.</summary>
public static class SponsorshipApi
{
    public static IServiceCollection AddSponsorshipApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISchemaContributor, SponsorshipSchema>();
        // The webhook's signing secret: a client-mode Api node verifies webhooks before handing them to the silos.
        services.AddStripeOptions(configuration);
        return services;
    }

    public static WebApplication MapSponsorshipApi(this WebApplication app)
    {
        app.MapStripeWebhooks();
        return app;
    }
}
