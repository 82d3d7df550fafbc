using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

[GenerateSerializer]
public sealed class BroadcasterState
{
    /// <summary>The title the next (or current) broadcast carries; null means the channel's display name.</summary>
    [Id(0)] public string? Title { get; set; }

    [Id(1)] public string? CategorySlug { get; set; }

    /// <summary>The broadcast that is live right now.</summary>
    [Id(2)] public Guid? LiveStreamId { get; set; }

    /// <summary>The encoder connection that broadcast came in on.</summary>
    [Id(3)] public IngestConnection? Connection { get; set; }

    [Id(4)] public DateTimeOffset? LiveSince { get; set; }

    /// <summary>The owner switched recording off; stored inverted so that state written before the switch existed means "on".</summary>
    [Id(5)] public bool RecordingOff { get; set; }

    /// <summary>Who may raid this channel (Everyone by default, as on Twitch).</summary>
    [Id(6)] public RaidPolicy RaidPolicy { get; set; }

    /// <summary>When this channel last raided another, for the cooldown.</summary>
    [Id(7)] public DateTimeOffset? LastRaidAt { get; set; }
}
