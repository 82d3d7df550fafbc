using GraphQL;
using Microsoft.Extensions.Options;
using WgStream.Api.Accounts;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Chat;
using WgStream.Api.GraphQL;
using WgStream.Api.Streams;
using WgStream.Api.Notifications;
using WgStream.Api.Realtime;
using WgStream.Api.Sponsorship;

namespace WgStream.Api.Hosting;

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

        app.Map("/graphql", async (
            HttpContext http,
            GraphQLRequestExecutor executor,
            IGraphQLTextSerializer serializer,
            SessionAuthenticator authenticator,
            WebSocketRegistry registry,
            IOptions<GraphQLOptions> options,
            ILoggerFactory loggers) =>
        {
            if (http.WebSockets.IsWebSocketRequest)
            {
                await GraphQLWebSocketEndpoint.HandleAsync(
                    http,
                    executor,
                    serializer,
                    http.RequestServices.GetRequiredService<GraphQLJson>(),
                    http.RequestServices.GetRequiredService<SharedSubscriptions>(),
                    authenticator,
                    registry,
                    http.RequestServices.GetRequiredService<ViewerBlocks>(),
                    options,
                    loggers);
            }
            else if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsPost(http.Request.Method))
            {
                await GraphQLHttpEndpoint.HandleAsync(http, executor, serializer, authenticator, options, loggers);
            }
            else
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                http.Response.Headers.Allow = "GET, POST";
            }
        });
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hubs"), hubs => hubs.UseMiddleware<HubAuthenticationMiddleware>());
        app.MapHub<ChatHub>("/hubs/chat");
        app.UseStaticFiles();
        app.UseLocalMediaFiles();
        // Before /media/{kind}: a literal route wins over the parameter anyway, but it reads in order.
        app.MapEmoteUploads();
        app.MapChannelMedia();
        app.MapAvatars();
        Admin.CategoryImageEndpoints.MapCategoryImages(app);
        app.MapTelegramWebhook();
        app.MapStripeWebhooks();
        app.MapGet("/graphiql", GraphiQLPage.Write);
        app.MapSchemaSdl();
        app.MapWgStreamHealth();
        app.MapAdminDashboard();
        app.MapWgStreamStreams();
        app.MapWebClientFallback();
        return app;
    }
}
