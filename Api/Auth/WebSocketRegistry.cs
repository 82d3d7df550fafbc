using System.Collections.Concurrent;
using WgStream.Api.GraphQL;

namespace WgStream.Api.Auth;

/// <summary>
/// The authenticated WebSockets open on this Api node, by session id, so a revocation announced
/// anywhere in the cluster can close them here.
/// </summary>
public sealed class WebSocketRegistry
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<GraphQLWsConnection, byte>> bySession = new(StringComparer.Ordinal);

    public void Add(string sessionId, GraphQLWsConnection connection) =>
        bySession.GetOrAdd(sessionId, _ => new()).TryAdd(connection, 0);

    public void Remove(string sessionId, GraphQLWsConnection connection)
    {
        if (bySession.TryGetValue(sessionId, out var connections))
        {
            connections.TryRemove(connection, out _);
            if (connections.IsEmpty)
            {
                bySession.TryRemove(new KeyValuePair<string, ConcurrentDictionary<GraphQLWsConnection, byte>>(sessionId, connections));
            }
        }
    }

    public async Task CloseSessionAsync(string sessionId)
    {
        if (bySession.TryRemove(sessionId, out var connections))
        {
            await Task.WhenAll(connections.Keys.Select(c => c.CloseAsync(4403, "Session revoked")));
        }
    }
}
