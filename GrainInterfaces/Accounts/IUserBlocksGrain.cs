using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// The users one account has blocked, keyed by the blocker's user id. A blocked user's chat
/// messages are hidden from the blocker on both chat transports (every Api node learns of a change
/// through <see cref="Common.StreamNames.UserBlocks"/>), and the blocked user can neither follow nor
/// sponsor the blocker's channel. Blocking is one-sided and silent: the blocked user is not told.
/// </summary>
public interface IUserBlocksGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Blocks <paramref name="userId"/> and ends their follow of this user's channel; true when the
    /// block is new. Repeating it is harmless (and repairs what a call cut short left undone).
    /// BAD_USER_INPUT for oneself or past <c>Accounts:MaxBlockedUsers</c>; NOT_FOUND for no such account.
    /// </summary>
    Task<bool> BlockAsync(Guid userId);

    /// <summary>Lifts the block; false when there was none.</summary>
    Task<bool> UnblockAsync(Guid userId);

    /// <summary>
    /// Interleaves with a block in progress: blocking asks the channel grain to drop the follow,
    /// and the channel grain asks this while taking a follow, so neither may wait for the other.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> HasBlockedAsync(Guid userId);

    /// <summary>Every blocked user's id (at most <c>Accounts:MaxBlockedUsers</c>), for the chat fan-out's filter.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<Guid>> GetBlockedIdsAsync();

    /// <summary>Newest block first, paged (first 1–50).</summary>
    [ReadOnly]
    Task<Page<UserBlock>> ListAsync(int first, string? after);
}

[GenerateSerializer, Immutable]
public sealed record UserBlock(Guid UserId, DateTimeOffset BlockedAt);

/// <summary>
/// Published on the cluster-wide <see cref="Common.StreamNames.UserBlocks"/> stream after every block
/// or unblock: the blocker's whole list as it is now, so a node that applies the latest one it saw is right.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record UserBlocksChanged(Guid UserId, IReadOnlyList<Guid> Blocked);
