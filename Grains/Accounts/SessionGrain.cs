using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Accounts;

public sealed class SessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionState> session,
    IOptions<AccountOptions> options,
    TimeProvider clock) : Grain, ISessionGrain
{
    // Last-seen is informational; writing it on every request would turn reads into writes.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromMinutes(1);

    private SessionState State => session.State;

    private bool IsLive => State.UserId != Guid.Empty && !State.Revoked && State.ExpiresAt > clock.GetUtcNow();

    public async Task OpenAsync(OpenSessionCommand command)
    {
        if (State.UserId != Guid.Empty)
        {
            throw new InvalidOperationException("A session id is never reused.");
        }

        var now = clock.GetUtcNow();
        State.UserId = command.UserId;
        State.SecretHash = command.SecretHash;
        State.CreatedAt = now;
        State.LastSeenAt = now;
        State.ExpiresAt = now + options.Value.SessionLifetime;
        State.IpAddress = command.Client.IpAddress;
        State.UserAgent = Truncate(command.Client.UserAgent, 512);
        await session.WriteStateAsync();
    }

    // The token only bounds the caller's wait: a check that has started finishes, last-seen write included.
    public async Task<SessionPrincipal?> AuthenticateAsync(string secret, string? ipAddress, CancellationToken cancellationToken)
    {
        if (!IsLive || !Secrets.Matches(secret, State.SecretHash))
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (now - State.LastSeenAt >= TouchInterval)
        {
            State.LastSeenAt = now;
            State.ExpiresAt = now + options.Value.SessionLifetime;
            State.IpAddress = ipAddress ?? State.IpAddress;
            await session.WriteStateAsync();
        }

        return new SessionPrincipal(State.UserId, this.GetPrimaryKeyString());
    }

    public Task<SessionInfo?> GetInfoAsync() => Task.FromResult(IsLive
        ? new SessionInfo(this.GetPrimaryKeyString(), State.CreatedAt, State.LastSeenAt, State.IpAddress, State.UserAgent)
        : null);

    public async Task RevokeAsync()
    {
        if (State.UserId == Guid.Empty || State.Revoked)
        {
            return;
        }

        State.Revoked = true;
        // A revoked session is never listed again: its address and user agent have no further use.
        State.IpAddress = null;
        State.UserAgent = null;
        await session.WriteStateAsync();
        var stream = this.GetStreamProvider(StreamNames.Provider)
            .GetStream<SessionRevoked>(StreamId.Create(StreamNames.SessionRevocations, StreamNames.SessionRevocationsKey));
        await stream.OnNextAsync(new SessionRevoked(State.UserId, this.GetPrimaryKeyString()));
    }

    public async Task EraseAsync()
    {
        await RevokeAsync();
        if (State.UserId != Guid.Empty)
        {
            await session.ClearStateAsync();
            session.State = new SessionState();
        }
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
