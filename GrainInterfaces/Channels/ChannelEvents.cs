namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// Something that happened to a channel, published on the <c>channel-events</c> stream keyed by the
/// channel id (<see cref="Common.StreamNames.ChannelEvents"/>). Subscribe as <see cref="Streams.IChannelEvent"/>
/// (which the streaming events share) and switch on the concrete type.
/// </summary>
[GenerateSerializer, Immutable]
public abstract record ChannelEvent : Streams.IChannelEvent
{
    [Id(0)] public Guid ChannelId { get; init; }

    [Id(1)] public DateTimeOffset At { get; init; }
}

/// <summary>The channel earned its verified mark (the reward rules in <c>Rewards</c> configuration).</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelVerified : ChannelEvent
{
    /// <summary><c>followers</c> (the follower threshold) or <c>sponsorship</c> (its first sponsor).</summary>
    [Id(0)] public string Reason { get; init; } = string.Empty;
}
