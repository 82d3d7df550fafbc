using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

/// <summary>Chat over GraphQL and the SignalR hub, its safety tools (terms, AutoMod, reports) and channel emotes.</summary>
public static class ChatApi
{
    public static IServiceCollection AddChatApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISchemaContributor, ChatSchema>();
        services.AddSingleton<ISchemaContributor, ChatSafetySchema>();
        services.AddSingleton<ISchemaContributor, AutoModSchema>();
        services.AddSingleton<ISchemaContributor, ReportSchema>();
        services.AddEmoteOptions(configuration);
        services.AddSingleton<ISchemaContributor, EmoteSchema>();
        services.AddSingleton<ChatSender>();

        services.AddSingleton<ChatHubRooms>();
        services.AddSingleton<Realtime.IFeedArrivals, ChatDeliveryLatency>();
        services.AddSingleton<ChatHubHeldWatch>();
        services.AddSingleton<ChatHubConnections>();
        services.AddSingleton<HubLifetimeManager<ChatHub>>(sp => sp.GetRequiredService<ChatHubConnections>());
        services.AddOptions<ChatHubOptions>().Bind(configuration.GetSection(ChatHubOptions.Section));
        services.AddOptions<HubOptions>().Configure<IOptions<ChatHubOptions>>((hub, chat) => hub.HandshakeTimeout = chat.Value.HandshakeTimeout);
        services.AddSignalR(o =>
            {
                o.EnableDetailedErrors = false;
                o.AddFilter<ChatHubErrorLogging>();
            })
            .AddJsonProtocol(o => ChatHubJson.Configure(o.PayloadSerializerOptions));
        services.AddSingleton<ChatHubErrorLogging>();
        services.AddLogging(logging => logging.AddFilter(ChatHubErrorLogging.DispatcherCategory, LogLevel.Critical));
        return services;
    }

    public static WebApplication MapChatApi(this WebApplication app)
    {
        app.MapHub<ChatHub>("/hubs/chat");
        // Before /media/{kind}: a literal route wins over the parameter anyway, but it reads in order.
        app.MapEmoteUploads();
        return app;
    }
}
