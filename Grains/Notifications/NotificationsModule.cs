using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Gateways.Telegram;

namespace WgStream.Grains.Notifications;

public static class NotificationsModule
{
    /// <summary>Stores, the Telegram bot and the silo's background workers (job expansion, outbox delivery, bot updates, pruning).</summary>
    public static ISiloBuilder AddNotifications(this ISiloBuilder silo, IConfiguration configuration)
    {
        var services = silo.Services;
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
        return silo;
    }
}
