using System.Collections.Concurrent;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Auth;

/// <summary>A long-lived connection opened with a session (a graphql-transport-ws socket, a SignalR connection).</summary>
public interface ISessionConnection
{
    Task CloseAsync(int code, string reason);
}

/// <summary>
/// The authenticated long-lived connections open on this Api node, by session id, so a revocation
/// announced anywhere in the cluster can close them here.
/// </summary>
public sealed class WebSocketRegistry(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<ISessionConnection, byte>> bySession = new(StringComparer.Ordinal);

    public void Add(string sessionId, ISessionConnection connection) =>
        bySession.GetOrAdd(sessionId, _ => new()).TryAdd(connection, 0);

    /// <summary>
    /// Registers the connection, then asks the session whether it is still live. A revocation that
    /// landed after the connection authenticated but before it was registered found nothing here to
    /// close; this catches it. False (and not registered) when the session has ended.
    /// </summary>
    public async Task<bool> AddLiveAsync(string sessionId, ISessionConnection connection)
    {
        Add(sessionId, connection);
        if (await grains.GetGrain<ISessionGrain>(sessionId).GetInfoAsync() is not null)
        {
            return true;
        }

        Remove(sessionId, connection);
        return false;
    }

    public void Remove(string sessionId, ISessionConnection connection)
    {
        if (bySession.TryGetValue(sessionId, out var connections))
        {
            connections.TryRemove(connection, out _);
            if (connections.IsEmpty)
            {
                bySession.TryRemove(new KeyValuePair<string, ConcurrentDictionary<ISessionConnection, byte>>(sessionId, connections));
            }
        }
    }

    /// <summary>The sessions that have connections open here now.</summary>
    public IReadOnlyList<string> SessionIds() => [.. bySession.Keys];

    public async Task CloseSessionAsync(string sessionId)
    {
        if (bySession.TryRemove(sessionId, out var connections))
        {
            await Task.WhenAll(connections.Keys.Select(c => c.CloseAsync(4403, "Session revoked")));
        }
    }
}
