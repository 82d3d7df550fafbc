using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Api.Streams;

/// <summary>
/// Who counts as one viewer: a signed-in session (however many sockets, tabs or subscriptions it
/// holds), or else one anonymous connection. Sessions are the unit because a person signed in
/// twice on one device is still one viewer, and anonymous viewers have nothing better to go by.
/// </summary>
public static class ViewerKeys
{
    public static string For(SessionPrincipal? principal, string connectionId) =>
        principal is { } p ? $"session:{p.SessionId}" : $"connection:{connectionId}";
}
