using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// One channel's emotes and prefix (see <see cref="IChannelEmotesGrain"/>). Every change is written
/// to the tables first, then told to the prefix index (when the prefix moved), to this silo's cache
/// and, on the <c>emotes</c> stream, to every other silo's. A failed announcement is logged and made
/// again with the next change; the caches' <see cref="EmoteOptions.CacheTime"/> bounds the rest.
/// </summary>
public sealed partial class ChannelEmotesGrain(
    EmoteStore store,
    IMediaStore media,
    ChannelEmoteCache cache,
    IOptions<EmoteOptions> options,
    TimeProvider clock,
    ILogger<ChannelEmotesGrain> logger) : Grain, IChannelEmotesGrain
{
    private string? prefix;
    private List<StoredEmote> emotes = [];
    private ChannelEmoteSet set = null!;
    private IAsyncStream<EmotesChanged> changes = null!;

    /// <summary>The index did not hear of the current prefix (its call failed): told again at the next chance.</summary>
    private bool indexBehind;

    private Guid ChannelId => this.GetPrimaryKey();

    private EmoteOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        changes = this.GetStreamProvider(StreamNames.Provider).GetStream<EmotesChanged>(StreamId.Create(StreamNames.Emotes, StreamNames.EmotesKey));
        (prefix, emotes) = await store.LoadAsync(ChannelId);
        Rebuild();

        // A silo that stopped between the table write and the index call left the index behind; an
        // activation (the owner's next visit, at the latest) puts it right.
        indexBehind = prefix is not null;
        await CatchUpIndexAsync();
    }

    public Task<ChannelEmoteSet> GetAsync() => Task.FromResult(set);

    public async Task<string> SetPrefixAsync(Guid actorId, string value)
    {
        await EnsureOwnerAsync(actorId);
        var wanted = EmoteRules.Prefix(value);
        if (wanted == prefix)
        {
            await CatchUpIndexAsync();
            return wanted;
        }

        if (!await TryClaimAsync(wanted))
        {
            throw WgException.BadInput($"The prefix \"{wanted}\" is taken; choose another.", "prefix");
        }

        return wanted;
    }

    public async Task CheckUploadAsync(Guid actorId, string suffix, bool animated)
    {
        await EnsureOwnerAsync(actorId);
        EnsureRoomFor(EmoteRules.Suffix(suffix), animated, except: null);
    }

    public async Task<ChannelEmote> AddAsync(Guid actorId, NewChannelEmote emote)
    {
        var profile = await EnsureOwnerAsync(actorId);
        var suffix = EmoteRules.Suffix(emote.Suffix);
        EnsureRoomFor(suffix, emote.Animated, except: null);
        if (prefix is null)
        {
            await ClaimDefaultAsync(profile.Username);
        }

        var stored = new StoredEmote(emote.Id, suffix, emote.Animated, emote.SponsorOnly, emote.Images, emote.StorageKeys, clock.GetUtcNow());
        if (!await store.InsertAsync(ChannelId, stored))
        {
            throw NameTaken(suffix);
        }

        emotes.Add(stored);
        Rebuild();
        await AnnounceAsync(prefix!);
        return stored.ToEmote(ChannelId, prefix!);
    }

    public async Task<ChannelEmote> RenameAsync(Guid actorId, Guid emoteId, string suffix)
    {
        await EnsureOwnerAsync(actorId);
        var index = IndexOf(emoteId);
        var renamed = EmoteRules.Suffix(suffix);
        EnsureNameFree(renamed, except: emoteId);
        return await UpdateAsync(index, emotes[index] with { Suffix = renamed });
    }

    public async Task<ChannelEmote> SetSponsorOnlyAsync(Guid actorId, Guid emoteId, bool sponsorOnly)
    {
        await EnsureOwnerAsync(actorId);
        var index = IndexOf(emoteId);
        return await UpdateAsync(index, emotes[index] with { SponsorOnly = sponsorOnly });
    }

    public async Task DeleteAsync(Guid actorId, Guid emoteId)
    {
        await EnsureOwnerAsync(actorId);
        var emote = emotes[IndexOf(emoteId)];
        await store.DeleteAsync(ChannelId, emoteId);
        emotes.Remove(emote);
        Rebuild();
        await AnnounceAsync(prefix!);

        // The emote is gone from every list first; its files are only storage from here on.
        await media.DeleteQuietlyAsync(emote.StorageKeys, logger);
    }

    public async Task EraseAsync()
    {
        var released = prefix;
        await store.EraseAsync(ChannelId);
        prefix = null;
        emotes = [];
        Rebuild();
        if (released is not null)
        {
            await TellIndexAsync(released, null);
            await AnnounceAsync(released);
        }

        try
        {
            await media.DeletePrefixAsync(StorageFolder(ChannelId));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFileNotDeleted(e, StorageFolder(ChannelId));
        }
    }

    /// <summary>Where a channel's emote files are kept in the media store: <c>emotes/{channel}/{emote}/{animated|static}/{size}.webp</c>.</summary>
    public static string StorageFolder(Guid channelId) => $"emotes/{channelId:N}";

    private async Task<ChannelEmote> UpdateAsync(int index, StoredEmote updated)
    {
        if (!await store.UpdateAsync(ChannelId, updated.Id, updated.Suffix, updated.SponsorOnly))
        {
            throw NameTaken(updated.Suffix);
        }

        emotes[index] = updated;
        Rebuild();
        await AnnounceAsync(prefix!);
        return updated.ToEmote(ChannelId, prefix!);
    }

    private void EnsureRoomFor(string suffix, bool animated, Guid? except)
    {
        EnsureNameFree(suffix, except);
        if (emotes.Count >= Options.MaxPerChannel)
        {
            throw WgException.BadInput($"A channel has at most {Options.MaxPerChannel} emotes; delete one first.", "file");
        }

        if (animated && emotes.Count(e => e.Animated) >= Options.MaxAnimatedPerChannel)
        {
            throw WgException.BadInput($"A channel has at most {Options.MaxAnimatedPerChannel} animated emotes; delete one first, or upload a still image.", "file");
        }
    }

    private void EnsureNameFree(string suffix, Guid? except)
    {
        if (emotes.Any(e => e.Id != except && EmoteRules.SameName(e.Suffix, suffix)))
        {
            throw NameTaken(suffix);
        }
    }

    private WgException NameTaken(string suffix) =>
        WgException.BadInput($"This channel has an emote named {prefix}{suffix} already (names are compared ignoring case).", "name");

    private int IndexOf(Guid emoteId)
    {
        var index = emotes.FindIndex(e => e.Id == emoteId);
        return index >= 0 ? index : throw new WgException(ErrorCodes.NotFound, "This channel has no such emote.", "emoteId");
    }

    /// <summary>Only the owner manages a channel's emotes; the channel must exist (and not be hidden).</summary>
    private async Task<ChannelProfile> EnsureOwnerAsync(Guid actorId)
    {
        if (actorId != ChannelId)
        {
            throw WgException.Forbidden("Only the channel's owner manages its emotes.");
        }

        return await GrainFactory.GetGrain<IChannelGrain>(ChannelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
    }

    /// <summary>The first of the username's default prefixes that can be had.</summary>
    private async Task ClaimDefaultAsync(string username)
    {
        foreach (var candidate in EmoteRules.DefaultPrefixes(username).Take(50))
        {
            if (await TryClaimAsync(candidate))
            {
                return;
            }
        }

        throw WgException.BadInput("Choose an emote prefix for your channel first.", "prefix");
    }

    /// <summary>
    /// Takes <paramref name="wanted"/> unless another account is called that (a prefix is a channel's
    /// mark in every chat, so nobody wears someone else's name) or another channel holds it.
    /// </summary>
    private async Task<bool> TryClaimAsync(string wanted)
    {
        if (await GrainFactory.GetGrain<IAccountLookupGrain>(0).FindAsync(wanted) is { } account && account != ChannelId)
        {
            return false;
        }

        if (!await store.ClaimPrefixAsync(ChannelId, wanted, clock.GetUtcNow()))
        {
            return false;
        }

        var old = prefix;
        prefix = wanted;
        Rebuild();
        await TellIndexAsync(old, wanted);
        await AnnounceAsync(old is null ? [wanted] : [old, wanted]);
        return true;
    }

    private async Task CatchUpIndexAsync()
    {
        if (indexBehind && prefix is not null)
        {
            await TellIndexAsync(null, prefix);
        }
    }

    private async Task TellIndexAsync(string? old, string? current)
    {
        try
        {
            await GrainFactory.GetGrain<IEmotePrefixIndexGrain>(0).SetAsync(ChannelId, old, current);
            indexBehind = false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            indexBehind = true;
            LogIndexBehind(e, ChannelId);
        }
    }

    /// <summary>This silo's cache at once, the others through the stream; a lost announcement is bounded by the cache time.</summary>
    private async Task AnnounceAsync(params string[] prefixes)
    {
        await CatchUpIndexAsync();
        foreach (var changed in prefixes)
        {
            cache.Invalidate(changed);
        }

        try
        {
            await changes.OnNextAsync(new EmotesChanged(ChannelId, prefixes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogAnnounceFailed(e, ChannelId);
        }
    }

    private void Rebuild() =>
        set = new ChannelEmoteSet(ChannelId, prefix, prefix is null ? [] : emotes.Select(e => e.ToEmote(ChannelId, prefix)).ToList());

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the emote prefix index about channel {ChannelId}; it is told again with the next change")]
    private partial void LogIndexBehind(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not announce the emote change of channel {ChannelId}; other silos see it within Emotes:CacheTime")]
    private partial void LogAnnounceFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete emote file {Key}")]
    private partial void LogFileNotDeleted(Exception exception, string key);
}
