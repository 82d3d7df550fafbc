using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace WgStream.Grains.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>Stores, the Telegram bot and the silo's background workers (job expansion, outbox delivery, bot updates, pruning).</summary>
    public static IServiceCollection AddWgStreamNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section));
        services.AddOptions<TelegramOptions>().Bind(configuration.GetSection(TelegramOptions.Section));
        services.AddSingleton<NotificationSignal>();
        services.AddSingleton<NotificationJobStore>();
        services.AddSingleton<NotificationInboxStore>();
        services.AddSingleton<NotificationRetentionStore>();
        services.AddSingleton<NotificationOutboxStore>();
        services.AddSingleton<TelegramLinkStore>();
        services.AddSingleton<TelegramGateway>();
        services.AddSingleton<TelegramBot>();
        services.AddHostedService<NotificationJobProcessor>();
        services.AddHostedService<NotificationOutboxDispatcher>();
        services.AddHostedService<TelegramBotService>();
        services.AddHostedService<NotificationPruningService>();
        return services;
    }
}
