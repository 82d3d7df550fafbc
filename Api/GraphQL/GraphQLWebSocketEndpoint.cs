using GraphQL;
using Microsoft.Extensions.Options;
using WgStream.Api.Accounts;
using WgStream.Api.Auth;
using WgStream.Api.Realtime;
using WgStream.ServiceDefaults;

namespace WgStream.Api.GraphQL;

/// <summary>Accepts WebSocket upgrades on <c>/graphql</c> for the graphql-transport-ws subprotocol only.</summary>
public static class GraphQLWebSocketEndpoint
{
    public static async Task HandleAsync(
        HttpContext http,
        GraphQLRequestExecutor executor,
        IGraphQLTextSerializer serializer,
        GraphQLJson json,
        SharedSubscriptions shared,
        SessionAuthenticator authenticator,
        WebSocketRegistry registry,
        ViewerBlocks blocks,
        IOptions<GraphQLOptions> options,
        ILoggerFactory loggers)
    {
        if (!http.WebSockets.WebSocketRequestedProtocols.Contains(GraphQLWsConnection.SubProtocol))
        {
            // The protocol's close code 4406 needs an open socket; refusing the upgrade says the same earlier.
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.Response.WriteAsync($"Use the {GraphQLWsConnection.SubProtocol} subprotocol.");
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync(GraphQLWsConnection.SubProtocol);
        var metrics = http.RequestServices.GetRequiredService<WgMetrics>();
        await using var connection = new GraphQLWsConnection(
            socket, http.Features.Get<CoalescingStream>(), http, executor, serializer, json, shared, authenticator, registry, blocks, options.Value, metrics, loggers.CreateLogger<GraphQLWsConnection>());
        metrics.RealtimeConnections.Add(1);
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            metrics.RealtimeConnections.Add(-1);
        }
    }
}
