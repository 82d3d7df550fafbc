using WgStream.Api.Accounts;
using WgStream.Api.Admin;
using WgStream.Api.Analytics;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Chat;
using WgStream.Api.Clips;
using WgStream.Api.GraphQL;
using WgStream.Api.Notifications;
using WgStream.Api.Previews;
using WgStream.Api.Realtime;
using WgStream.Api.Sponsorship;
using WgStream.Api.Streams;
using WgStream.Api.Videos;

namespace WgStream.Api.Hosting;

/// <summary>
/// The Api's composition root. It only lists features: each registers its own services, schema and
/// endpoints in <c>Api/&lt;Feature&gt;/&lt;Feature&gt;Api.cs</c>.
/// </summary>
public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddWgStreamApi(this IServiceCollection services, IConfiguration configuration) =>
        services
            .AddApiHosting(configuration)
            .AddAuthApi(configuration)
            .AddGraphQLApi(configuration)
            .AddRealtimeApi()
            .AddAccountsApi(configuration)
            .AddAdminApi()
            .AddChannelsApi(configuration)
            .AddChatApi(configuration)
            .AddStreamsApi(configuration)
            .AddVideosApi(configuration)
            .AddClipsApi()
            .AddSponsorshipApi(configuration)
            .AddNotificationsApi(configuration)
            .AddAnalyticsApi()
            .AddPreviewsApi(configuration);
}
