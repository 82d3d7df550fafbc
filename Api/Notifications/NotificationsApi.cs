using WgStream.Api.GraphQL;
using WgStream.Gateways.Telegram;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Notifications;

/// <summary>The notification inbox and settings over GraphQL, and the Telegram bot's webhook.</summary>
public static class NotificationsApi
{
    /// <summary>The notifications schema and the options the Api itself reads (link texts, the Telegram webhook), also when it runs as a cluster client.</summary>
    public static IServiceCollection AddNotificationsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramOptions>().Bind(configuration.GetSection(TelegramOptions.Section));
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.Section));
        services.AddSingleton<ISchemaContributor, NotificationSchema>();
        return services;
    }

    public static WebApplication MapNotificationsApi(this WebApplication app) => app.MapTelegramWebhook();
}
