using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Gateways.Stripe;

public static class StripeOptionsRegistration
{
    /// <summary>The Stripe settings alone: an Api node that is only a cluster client needs them to verify webhooks.</summary>
    public static IServiceCollection AddStripeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.Section))
            .Validate(o => o.IsValid(out _), "Invalid Stripe settings: SuccessUrl, CancelUrl and ApiBase must be absolute http(s) URLs.")
            .ValidateOnStart();
        return services;
    }
}
