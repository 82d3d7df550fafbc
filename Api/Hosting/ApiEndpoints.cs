using WgStream.Api.Accounts;
using WgStream.Api.Admin;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Chat;
using WgStream.Api.GraphQL;
using WgStream.Api.Notifications;
using WgStream.Api.Realtime;
using WgStream.Api.Sponsorship;
using WgStream.Api.Streams;

namespace WgStream.Api.Hosting;

/// <summary>The request pipeline (in order), then each feature's endpoints; the web client's fallback comes last.</summary>
public static class ApiEndpoints
{
    public static WebApplication UseWgStreamApi(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        app.UseWgStreamErrorResponses();
        app.UseWgForwardedHeaders();

        // Before anything that reads the session cookie: sockets, uploads, GraphQL.
        app.UseMiddleware<CookieOriginGuard>();

        // graphql-transport-ws sockets may hand Kestrel several queued frames in one write.
        CoalescingUpgrade.UseFor(app, "/graphql", maxHeldBytes: 16 * 1024);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.UseMiddleware<HubAuthenticationMiddleware>());
        app.UseStaticFiles();
        app.UseLocalMediaFiles();

        app.MapGraphQLApi();
        app.MapChatApi();
        app.MapChannelsApi();
        app.MapAdminApi();
        app.MapNotificationsApi();
        app.MapSponsorshipApi();
        app.MapStreamsApi();
        app.MapWgStreamHealth();
        app.MapWebClientFallback();
        return app;
    }
}
