using System.Globalization;
using Orleans.Runtime;
using Orleans.Streams;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>
/// A cluster whose chat rooms have short windows and a small memory, so that the flood limit, slow
/// mode, followers-only caching and history paging past the in-memory buffer are tested in seconds.
/// </summary>
public sealed class ChatClusterFixture : ClusterFixture
{
    public const int HistorySize = 10;

    public const int MessagesPerWindow = 5;

    /// <summary>Shorter than the slow-mode intervals the tests use, so slow mode must hold beyond the flood window.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan NotFollowingCacheTime = TimeSpan.FromMilliseconds(200);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:HistorySize"] = HistorySize.ToString(CultureInfo.InvariantCulture),
        ["Chat:MessagesPerWindow"] = MessagesPerWindow.ToString(CultureInfo.InvariantCulture),
        ["Chat:RateWindow"] = RateWindow.ToString("c", CultureInfo.InvariantCulture),
        ["Chat:NotFollowingCacheTime"] = NotFollowingCacheTime.ToString("c", CultureInfo.InvariantCulture),
        ["Chat:BlockedTerms:0"] = PlatformBlockedTerm,
        ["Chat:ReportsPerHour"] = ReportsPerHour.ToString(CultureInfo.InvariantCulture),
        ["Chat:HeldMessageLifetime"] = HeldMessageLifetime.ToString("c", CultureInfo.InvariantCulture),
        ["Chat:MaxHeldMessages"] = MaxHeldMessages.ToString(CultureInfo.InvariantCulture),
        ["Chat:AllowedLinkDomains:0"] = PlatformLinkDomain,
    };

    /// <summary>Seconds instead of the shipped 5 minutes, so expiry is seen within a test (the check runs every second at this length).</summary>
    public static readonly TimeSpan HeldMessageLifetime = TimeSpan.FromSeconds(8);

    /// <summary>Lower than the shipped 200, so a full queue is reached in a few sends.</summary>
    public const int MaxHeldMessages = 4;

    /// <summary>The operators' allowed link domain, allowed in every room.</summary>
    public const string PlatformLinkDomain = "wg-stream.example";

    /// <summary>Lower than the shipped 30, so the allowance is reached in a few calls.</summary>
    public const int ReportsPerHour = 5;

    /// <summary>The operators' list, which holds in every room and for everyone (no other test sends it).</summary>
    public const string PlatformBlockedTerm = "wgplatformslur";
}

[CollectionDefinition(Name)]
public sealed class ChatClusterCollection : ICollectionFixture<ChatClusterFixture>
{
    public const string Name = "ChatCluster";
}

/// <summary>A channel (registered owner) and its chat room grain.</summary>
public sealed record TestRoom(TestUser Owner, IChatRoomGrain Grain)
{
    public Guid Id => Owner.Id;
}

/// <summary>Shortcuts for the chat and follow grain tests.</summary>
public static class ChatGrainTestKit
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Registers an account, which creates its channel, and returns the channel's chat room.</summary>
    public static async Task<TestRoom> NewRoomAsync(this ClusterFixture fixture)
    {
        var owner = await fixture.RegisterAsync();
        return new TestRoom(owner, fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id));
    }

    public static async Task<TestUser> NewModeratorAsync(this ClusterFixture fixture, TestRoom room)
    {
        var moderator = await fixture.RegisterAsync();
        await room.Grain.AddModeratorAsync(room.Id, moderator.Id);
        return moderator;
    }

    public static IChannelGrain Channel(this ClusterFixture fixture, Guid channelId) => fixture.GrainFactory.GetGrain<IChannelGrain>(channelId);

    public static Task<ChatMessage> SendAsync(this TestRoom room, TestUser sender, string text) => room.Grain.SendAsync(sender.Id, text);

    public static async Task<List<string>> HistoryTextsAsync(this TestRoom room, int last = 100) =>
        (await room.Grain.GetHistoryAsync(last, null)).Messages.Select(m => m.Text).ToList();

    /// <summary>Waits until <paramref name="at"/> has passed (plus a little, for clock granularity).</summary>
    public static async Task WaitUntilAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(30);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    /// <summary>Collects every idle activation and checks that the given grains really went away.</summary>
    public static async Task DeactivateAsync(this ClusterFixture fixture, params IAddressable[] grains)
    {
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        foreach (var grain in grains)
        {
            Assert.Equal(1, await management.GetGrainActivationCount((GrainReference)grain));
        }

        await management.ForceActivationCollection(TimeSpan.Zero);

        foreach (var grain in grains)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (await management.GetGrainActivationCount((GrainReference)grain) != 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{grain} is still active.");
                await Task.Delay(50);
            }
        }
    }

    public static async Task<long> CountAsync(this ClusterFixture fixture, string sql, Guid id)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("id", id);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>The <c>chat_messages</c> rows of a room by message id: whether each is marked deleted.</summary>
    public static async Task<Dictionary<Guid, bool>> StoredMessagesAsync(this ClusterFixture fixture, Guid channelId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT message_id, deleted_at IS NOT NULL FROM chat_messages WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<Guid, bool>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetGuid(0)] = reader.GetBoolean(1);
        }

        return rows;
    }

    /// <summary>Subscribes the test's cluster client to a room's stream, as an Api node does.</summary>
    public static async Task<ChatEventLog> SubscribeChatAsync(this ClusterFixture fixture, Guid channelId)
    {
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<ChatEventBatch>(StreamId.Create(StreamNames.Chat, channelId));
        var log = new ChatEventLog();
        log.Handle = await stream.SubscribeAsync((batch, _) =>
        {
            log.Add(batch);
            return Task.CompletedTask;
        });
        return log;
    }
}

/// <summary>The batches a room published, in the order they arrived.</summary>
public sealed class ChatEventLog : IAsyncDisposable
{
    private readonly List<ChatEventBatch> batches = [];

    public StreamSubscriptionHandle<ChatEventBatch>? Handle { get; set; }

    public IReadOnlyList<ChatEventBatch> Batches
    {
        get
        {
            lock (batches)
            {
                return batches.ToList();
            }
        }
    }

    public IReadOnlyList<ChatEvent> Events => Batches.SelectMany(b => b.Events).ToList();

    public void Add(ChatEventBatch batch)
    {
        lock (batches)
        {
            batches.Add(batch);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events arrived and returns them all.</summary>
    public async Task<IReadOnlyList<ChatEvent>> WaitForAsync(int count)
    {
        var deadline = DateTime.UtcNow + ChatGrainTestKit.Patience;
        while (true)
        {
            var events = Events;
            if (events.Count >= count)
            {
                return events;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {events.Count} chat event(s) arrived; waited for {count}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until an event matching <paramref name="match"/> arrived and returns it; events are
    /// delivered in batches whose boundaries depend on timing, so counting them is not enough.</summary>
    public async Task<ChatEvent> WaitForAsync(Func<ChatEvent, bool> match)
    {
        var deadline = DateTime.UtcNow + ChatGrainTestKit.Patience;
        while (true)
        {
            var events = Events;
            var found = events.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No matching chat event among {events.Count}: {string.Join(", ", events.Select(e => $"{e.Kind}#{e.Seq}"))}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Exactly <paramref name="count"/> events arrived, and nothing more comes within a short while.</summary>
    public async Task<IReadOnlyList<ChatEvent>> WaitForExactlyAsync(int count)
    {
        await WaitForAsync(count);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var events = Events;
        Assert.True(events.Count == count, $"Expected {count} events, got {events.Count}: {string.Join(", ", events.Select(e => $"{e.Kind}#{e.Seq}"))}");
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        if (Handle is not null)
        {
            await Handle.UnsubscribeAsync();
        }
    }
}
