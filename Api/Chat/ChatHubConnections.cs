using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace WgStream.Api.Chat;

/// <summary>
/// SignalR's own lifetime manager for <see cref="ChatHub"/>, which also keeps each connection's
/// <see cref="HubConnectionContext"/> by id. A hub method only sees a <see cref="HubCallerContext"/>;
/// <see cref="ChatHubRooms"/> needs the connection itself to write a message serialized once for all
/// members (<see cref="SerializedHubMessage"/>) instead of going through <c>Clients.Client(id)</c>,
/// which looks the connection up and serializes the whole message again for every member.
/// </summary>
public sealed class ChatHubConnections(ILogger<DefaultHubLifetimeManager<ChatHub>> logger) : DefaultHubLifetimeManager<ChatHub>(logger)
{
    private readonly ConcurrentDictionary<string, HubConnectionContext> connections = new(StringComparer.Ordinal);

    public HubConnectionContext? Find(string connectionId) => connections.GetValueOrDefault(connectionId);

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        connections[connection.ConnectionId] = connection;
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        connections.TryRemove(connection.ConnectionId, out _);
        return base.OnDisconnectedAsync(connection);
    }
}
