namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// The index of one account's signed-in devices (keyed by user id): listing and revoking them.
/// Each session itself is an <see cref="ISessionGrain"/>; one of the four views of the user grain
/// (see <see cref="IUserCredentialsGrain"/> for why they are one grain).
/// </summary>
public interface IUserSessionsGrain : IGrainWithGuidKey
{
    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync();

    Task RevokeSessionAsync(string sessionId);

    /// <summary>Revokes every session but <paramref name="keepSessionId"/>; returns how many were revoked.</summary>
    Task<int> RevokeOtherSessionsAsync(string keepSessionId);
}
