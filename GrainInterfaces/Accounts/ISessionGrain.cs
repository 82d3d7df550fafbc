namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// One signed-in device, keyed by the public session id. The token a client holds is
/// <c>{sessionId}.{secret}</c>; only a hash of the secret is stored.
/// </summary>
public interface ISessionGrain : IGrainWithStringKey
{
    Task OpenAsync(OpenSessionCommand command);

    /// <summary>
    /// Returns the session's owner when <paramref name="secret"/> matches a live session, else null.
    /// Safe to repeat; cancelling stops the caller's wait (a retry after a failover, say), not the check.
    /// </summary>
    Task<SessionPrincipal?> AuthenticateAsync(string secret, string? ipAddress, CancellationToken cancellationToken = default);

    Task<SessionInfo?> GetInfoAsync();

    /// <summary>Ends the session at once and announces it so open WebSockets close.</summary>
    Task RevokeAsync();

    /// <summary>Ends the session (as <see cref="RevokeAsync"/>) and deletes everything stored about it.</summary>
    Task EraseAsync();
}
