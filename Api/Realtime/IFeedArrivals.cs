namespace WgStream.Api.Realtime;

/// <summary>
/// Sees each event of every feed once per Api node, as it arrives and just before
/// <see cref="NodeFeeds"/> hands it to the node's sinks: the place to measure a feed (how late its
/// events are) once, however many sockets it then fans out to. Must be cheap and must not throw or block.
/// </summary>
public interface IFeedArrivals
{
    void Arrived(string streamNamespace, object item);
}
