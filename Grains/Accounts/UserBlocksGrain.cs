using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Common;

namespace WgStream.Grains.Accounts;

/// <summary>
/// One account's block list, held whole in memory (it is bounded by <c>Accounts:MaxBlockedUsers</c>)
/// and written through to <c>user_blocks</c>. Every change is published on the cluster-wide
/// <see cref="StreamNames.UserBlocks"/> stream with the whole list, so the Api nodes' chat filters
/// follow it within milliseconds.
/// </summary>
public sealed class UserBlocksGrain(UserBlockStore store, IOptions<AccountOptions> options, TimeProvider clock) : Grain, IUserBlocksGrain
{
    private readonly Dictionary<Guid, DateTimeOffset> blocked = [];

    private Guid UserId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var block in await store.ListAsync(UserId))
        {
            blocked[block.UserId] = block.BlockedAt;
        }
    }

    public async Task<bool> BlockAsync(Guid userId)
    {
        if (userId == UserId)
        {
            throw WgException.BadInput("You cannot block yourself.", "userId");
        }

        var added = !blocked.ContainsKey(userId);
        if (added)
        {
            var limit = options.Value.MaxBlockedUsers;
            if (blocked.Count >= limit)
            {
                throw WgException.BadInput($"You can block at most {limit} users; unblock someone first.", "userId");
            }

            if (await GrainFactory.GetGrain<IUserProfileGrain>(userId).GetProfileAsync() is null)
            {
                throw WgException.NotFound("No such user.");
            }

            var block = await store.InsertAsync(UserId, userId, clock.GetUtcNow());
            blocked[userId] = block.BlockedAt;
        }

        // On every call, not only the first: a block whose call was cut short after the row was
        // written is finished by the retry. Both steps are idempotent.
        var channel = GrainFactory.GetGrain<IChannelGrain>(UserId);
        if (await channel.GetAsync() is not null)
        {
            await channel.UnfollowAsync(userId);
        }

        await PublishAsync();
        return added;
    }

    public async Task<bool> UnblockAsync(Guid userId)
    {
        if (!blocked.ContainsKey(userId))
        {
            return false;
        }

        await store.DeleteAsync(UserId, userId);
        blocked.Remove(userId);
        await PublishAsync();
        return true;
    }

    public Task<bool> HasBlockedAsync(Guid userId) => Task.FromResult(blocked.ContainsKey(userId));

    public Task<IReadOnlyList<Guid>> GetBlockedIdsAsync() => Task.FromResult<IReadOnlyList<Guid>>([.. blocked.Keys]);

    public Task<Page<UserBlock>> ListAsync(int first, string? after)
    {
        var size = Cursor.PageSize(first);
        var ordered = blocked.Select(b => new UserBlock(b.Key, b.Value)).OrderByDescending(b => b.BlockedAt).ThenBy(b => b.UserId).AsEnumerable();
        if (after is not null)
        {
            var parts = Cursor.Decode(after, 2);
            var ticks = Cursor.ParseLong(parts[0]);
            if (ticks > DateTimeOffset.MaxValue.UtcTicks)
            {
                throw WgException.BadInput("The cursor is not one this API gave out.", "after");
            }

            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            var id = Guid.TryParse(parts[1], out var g) ? g : throw WgException.BadInput("The cursor is not one this API gave out.", "after");
            ordered = ordered.SkipWhile(b => b.BlockedAt > at || (b.BlockedAt == at && b.UserId.CompareTo(id) <= 0));
        }

        var page = ordered.Take(size + 1).ToList();
        var edges = page.Take(size).Select(b => new Edge<UserBlock>(Cursor.Encode(b.BlockedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), b.UserId.ToString()), b)).ToList();
        return Task.FromResult(new Page<UserBlock>(edges, page.Count > size));
    }

    private Task PublishAsync() =>
        this.GetStreamProvider(StreamNames.Provider)
            .GetStream<UserBlocksChanged>(StreamId.Create(StreamNames.UserBlocks, StreamNames.UserBlocksKey))
            .OnNextAsync(new UserBlocksChanged(UserId, [.. blocked.Keys]));
}
