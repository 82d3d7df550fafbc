using WgStream.Api.GraphQL;
using WgStream.Gateways.Media;

namespace WgStream.Api.Channels;

/// <summary>Channels, follows and discovery, and the channel images (avatar, banner, thumbnail) uploaded through the Api.</summary>
public static class ChannelsApi
{
    public static IServiceCollection AddChannelsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISchemaContributor, ChannelSchema>();
        services.AddSingleton<KnownChannels>();
        services.AddWgStreamMediaStore(configuration);
        return services;
    }

    public static WebApplication MapChannelsApi(this WebApplication app)
    {
        app.MapChannelMedia();
        app.MapAvatars();
        return app;
    }
}
