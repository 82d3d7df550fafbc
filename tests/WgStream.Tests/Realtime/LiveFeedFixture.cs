using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Realtime;

/// <summary>
/// An Api for the live-feed tests: shipped fan-out settings (socket budget and write timeout
/// included); only the chat flood limit is raised, so one sender can outrun a reader.
/// </summary>
public sealed class LiveFeedFixture : ApiFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Chat__MessagesPerWindow"] = "100000",
        ["WG_Chat__ModeratorMessagesPerWindow"] = "100000",
    };
}

[CollectionDefinition(Name)]
public sealed class LiveFeedCollection : ICollectionFixture<LiveFeedFixture>
{
    public const string Name = "LiveFeed";
}
