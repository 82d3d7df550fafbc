using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>The room's safety rules beside the chat modes: blocked terms (the channel's and the platform's) and VIPs.</summary>
public sealed partial class ChatRoomGrain
{
    private BlockedTerms? channelTerms;
    private BlockedTerms? platformTerms;

    /// <summary>Compiled on first use and again after each change; the platform's once per activation.</summary>
    private BlockedTerms ChannelTerms => channelTerms ??= State.BlockedTerms.Count == 0 ? BlockedTerms.None : new BlockedTerms(State.BlockedTerms);

    private BlockedTerms PlatformTerms => platformTerms ??= Options.BlockedTerms.Length == 0 ? BlockedTerms.None : new BlockedTerms(Options.BlockedTerms);

    public async Task AddVipAsync(Guid actorId, Guid userId)
    {
        Check(ChatRules.NewVip(actorId, userId, ChannelId, State.Moderators));
        await GrantRoleAsync(actorId, userId, State.Vips, ModerationAction.AddVip);
    }

    public Task RemoveVipAsync(Guid actorId, Guid userId) =>
        RevokeRoleAsync(actorId, userId, State.Vips, ModerationAction.RemoveVip, "That user is not a VIP here.");

    public Task<IReadOnlyList<string>> GetBlockedTermsAsync(Guid actorId)
    {
        EnsureModerator(actorId);
        return Task.FromResult<IReadOnlyList<string>>([.. State.BlockedTerms]);
    }

    public async Task<IReadOnlyList<string>> AddBlockedTermAsync(Guid actorId, string term)
    {
        EnsureModerator(actorId);
        var normalized = BlockedTerms.Normalize(term);
        if (State.BlockedTerms.Contains(normalized))
        {
            return [.. State.BlockedTerms];
        }

        Check(ChatRules.BlockedTermsFull(State.BlockedTerms.Count, Options.MaxBlockedTerms));

        State.BlockedTerms.Add(normalized);
        channelTerms = null;
        var entry = NewLogEntry(actorId, ModerationAction.BlockedTermAdded, details: normalized);
        await SaveStateWithAsync(entry);
        await AppendSavedAsync(entry);
        return [.. State.BlockedTerms];
    }

    public async Task<IReadOnlyList<string>> RemoveBlockedTermAsync(Guid actorId, string term)
    {
        EnsureModerator(actorId);
        var normalized = BlockedTerms.Normalize(term);
        if (!State.BlockedTerms.Remove(normalized))
        {
            throw WgException.NotFound("That term is not blocked here.");
        }

        channelTerms = null;
        var entry = NewLogEntry(actorId, ModerationAction.BlockedTermRemoved, details: normalized);
        await SaveStateWithAsync(entry);
        await AppendSavedAsync(entry);
        return [.. State.BlockedTerms];
    }

    private static string Describe(ChatSettings settings) =>
        $"chat {(settings.Enabled ? "on" : "off")}, slow mode {settings.SlowModeSeconds} s, followers only {(settings.FollowersOnly ? $"on ({settings.FollowersOnlyMinutes} min)" : "off")}, "
        + $"emote only {(settings.EmoteOnly ? "on" : "off")}, sponsors only {(settings.SponsorsOnly ? "on" : "off")}, "
        + $"AutoMod {settings.AutoModLevel.ToString().ToLowerInvariant()}, links {(settings.HoldLinks ? "held" : "allowed")}";
}
