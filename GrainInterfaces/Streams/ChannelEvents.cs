namespace WgStream.GrainInterfaces.Streams;

/// <summary>
/// What happens on a channel that others (notifications, e-mail, Telegram) react to, published on
/// the channel's <c>channel-events</c> stream. Subscribe with <c>GetStream&lt;IChannelEvent&gt;</c>
/// and switch on the concrete record.
/// </summary>
public interface IChannelEvent
{
    Guid ChannelId { get; }

    DateTimeOffset At { get; }
}

/// <summary>The channel went live: the event followers are notified about.</summary>
[GenerateSerializer, Immutable]
public sealed record StreamStarted(Guid ChannelId, Guid StreamId, string Title, string? CategorySlug, DateTimeOffset At) : IChannelEvent;

[GenerateSerializer, Immutable]
public sealed record StreamEnded(Guid ChannelId, Guid StreamId, StreamEndReason Reason, int PeakViewers, DateTimeOffset At) : IChannelEvent;
