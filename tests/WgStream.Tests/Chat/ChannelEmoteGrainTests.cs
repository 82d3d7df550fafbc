using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;
using SkiaSharp;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Chat.Emotes;
using WgStream.Gateways.Media;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;
using static WgStream.Tests.Media.TestImages;

namespace WgStream.Tests.Chat;

/// <summary>
/// A cluster with small emote limits, its own media directory, and a cache time far longer than any
/// test: a change is seen at once only because it is announced.
/// </summary>
public sealed class EmoteClusterFixture : ClusterFixture, IAsyncLifetime
{
    public const int MaxPerChannel = 3;

    public const int MaxAnimatedPerChannel = 1;

    public string MediaDirectory { get; } = Directory.CreateTempSubdirectory("wg-emote-tests-").FullName;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Emotes:MaxPerChannel"] = MaxPerChannel.ToString(CultureInfo.InvariantCulture),
        ["Emotes:MaxAnimatedPerChannel"] = MaxAnimatedPerChannel.ToString(CultureInfo.InvariantCulture),
        ["Emotes:CacheTime"] = "01:00:00",
        ["Media:LocalDirectory"] = MediaDirectory,
    };

    public IServiceProvider SiloServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    public IChannelEmotesGrain Emotes(Guid channelId) => GrainFactory.GetGrain<IChannelEmotesGrain>(channelId);

    /// <summary>Runs an image through the silo's real processing and store, then adds it as the owner would.</summary>
    public async Task<ChannelEmote> UploadAsync(Guid ownerId, string name, byte[] image, bool sponsorOnly = false)
    {
        var processed = await SiloServices.GetRequiredService<EmoteImageProcessor>().ProcessAsync(image);
        var store = SiloServices.GetRequiredService<IMediaStore>();
        var id = Guid.NewGuid();
        var keys = new List<string>();
        var images = new List<EmoteImage>();
        foreach (var size in processed.Images)
        {
            var key = $"{ChannelEmotesGrain.StorageFolder(ownerId)}/{id:N}/{size.Variant}.webp";
            await store.PutAsync(key, size.Content, size.ContentType);
            keys.Add(key);
            images.Add(new EmoteImage(size.Width, store.PublicUrl(key)));
        }

        return await Emotes(ownerId).AddAsync(ownerId, new NewChannelEmote(id, name, processed.Animated, sponsorOnly, images, keys));
    }

    /// <summary>Makes <paramref name="payerId"/> an active sponsor of <paramref name="channelId"/>, as a paid checkout leaves the ledger.</summary>
    public async Task SponsorAsync(Guid channelId, Guid payerId)
    {
        var plan = Guid.NewGuid();
        await using var batch = Database.DataSource.CreateBatch();
        var planRow = new Npgsql.NpgsqlBatchCommand("""
            INSERT INTO sponsorship_plans (plan_id, channel_id, title, description, price, currency, created_at, updated_at)
            VALUES (@plan, @c, 'Fan', '', 500, 'usd', now(), now())
            """);
        planRow.Parameters.AddWithValue("plan", plan);
        planRow.Parameters.AddWithValue("c", channelId);
        var sponsorship = new Npgsql.NpgsqlBatchCommand("""
            INSERT INTO sponsorships (channel_id, payer_id, plan_id, status, started_at, anchor_at, periods, paid_until, expires_at, auto_renew, updated_at)
            VALUES (@c, @p, @plan, 'ACTIVE', now(), now(), 1, now() + interval '30 days', now() + interval '31 days', false, now())
            """);
        sponsorship.Parameters.AddWithValue("c", channelId);
        sponsorship.Parameters.AddWithValue("p", payerId);
        sponsorship.Parameters.AddWithValue("plan", plan);
        batch.BatchCommands.Add(planRow);
        batch.BatchCommands.Add(sponsorship);
        await batch.ExecuteNonQueryAsync();
        Assert.True(await GrainFactory.GetGrain<IChannelSponsorsGrain>(channelId).RefreshAsync(payerId));
    }

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    /// <summary>The cluster, then the media files it wrote.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        Directory.Delete(MediaDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class EmoteClusterCollection : ICollectionFixture<EmoteClusterFixture>
{
    public const string Name = "EmoteCluster";
}

/// <summary>Channel emotes in their grains, with the real tables, media pipeline (Skia, ffmpeg), cache and stream.</summary>
[Collection(EmoteClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelEmoteGrainTests(EmoteClusterFixture fixture)
{
    private static byte[] Still => Png(64, 48, Red);

    [Fact]
    public async Task Prefixes_follow_the_rules_are_unique_and_only_the_owner_sets_them()
    {
        var alice = await fixture.RegisterAsync();
        var bob = await fixture.RegisterAsync("b" + Guid.NewGuid().ToString("N")[..8]);
        var grain = fixture.Emotes(alice.Id);

        foreach (var bad in new[] { "ab", "abcdefghijk", "Alice", "al ice", "wgfan", "ali-e", "" })
        {
            await RefusedAsync(() => grain.SetPrefixAsync(alice.Id, bad), ErrorCodes.BadUserInput, "prefix");
        }

        // Nobody wears another account's name, whatever it is typed like.
        await RefusedAsync(() => grain.SetPrefixAsync(alice.Id, bob.Username.ToLowerInvariant()), ErrorCodes.BadUserInput, "prefix");
        await RefusedAsync(() => grain.SetPrefixAsync(bob.Id, "bobs"), ErrorCodes.Forbidden);

        var prefix = NewPrefix();
        Assert.Equal(prefix, await grain.SetPrefixAsync(alice.Id, $"  {prefix} "));
        Assert.Equal(prefix, (await grain.GetAsync()).Prefix);

        // Held by Alice now: Bob cannot have it, and gets it once she moves to another.
        await RefusedAsync(() => fixture.Emotes(bob.Id).SetPrefixAsync(bob.Id, prefix), ErrorCodes.BadUserInput, "prefix");
        await grain.SetPrefixAsync(alice.Id, NewPrefix());
        Assert.Equal(prefix, await fixture.Emotes(bob.Id).SetPrefixAsync(bob.Id, prefix));

        // Its own username is allowed as a prefix (when it fits).
        var carol = await fixture.RegisterAsync("carol" + Guid.NewGuid().ToString("N")[..5]);
        Assert.Equal(carol.Username, await fixture.Emotes(carol.Id).SetPrefixAsync(carol.Id, carol.Username));
    }

    [Fact]
    public async Task Names_are_checked_a_first_upload_takes_a_prefix_from_the_username_and_the_limits_hold()
    {
        var owner = await fixture.RegisterAsync();
        var grain = fixture.Emotes(owner.Id);
        foreach (var bad in new[] { "hype", "H", "Hype!", "Hy pe", new string('A', 21), "" })
        {
            await RefusedAsync(() => grain.CheckUploadAsync(owner.Id, bad, animated: false), ErrorCodes.BadUserInput, "name");
            await RefusedAsync(() => fixture.UploadAsync(owner.Id, bad, Still), ErrorCodes.BadUserInput, "name");
        }

        await RefusedAsync(() => grain.CheckUploadAsync(Guid.NewGuid(), "Hype", animated: false), ErrorCodes.Forbidden);

        var hype = await fixture.UploadAsync(owner.Id, "Hype", Still);
        Assert.Equal(owner.Username.ToLowerInvariant()[..10], hype.Prefix);
        Assert.Equal($":{hype.Prefix}Hype:", hype.Code);

        // Names are unique within the channel ignoring case.
        await RefusedAsync(() => grain.CheckUploadAsync(owner.Id, "HYPE", animated: false), ErrorCodes.BadUserInput, "name");
        await RefusedAsync(() => fixture.UploadAsync(owner.Id, "HyPe", Still), ErrorCodes.BadUserInput, "name");

        // One animated emote at most here, three in all.
        await fixture.UploadAsync(owner.Id, "Dance", Gif(32, 32, Red, Green, Blue));
        await RefusedAsync(() => grain.CheckUploadAsync(owner.Id, "Spin", animated: true), ErrorCodes.BadUserInput, "file");
        await RefusedAsync(() => fixture.UploadAsync(owner.Id, "Spin", Gif(32, 32, Green, Blue)), ErrorCodes.BadUserInput, "file");
        await fixture.UploadAsync(owner.Id, "Wave", Still);
        await RefusedAsync(() => fixture.UploadAsync(owner.Id, "Four", Still), ErrorCodes.BadUserInput, "file");
        Assert.Equal(["Hype", "Dance", "Wave"], (await grain.GetAsync()).Emotes.Select(e => e.Suffix));

        // After a delete there is room again; everything reads back after the grain moves.
        await grain.DeleteAsync(owner.Id, hype.Id);
        await fixture.UploadAsync(owner.Id, "Four", Still);
        await fixture.DeactivateAsync(grain);
        var set = await grain.GetAsync();
        Assert.Equal(["Dance", "Wave", "Four"], set.Emotes.Select(e => e.Suffix));
        Assert.Equal([true, false, false], set.Emotes.Select(e => e.Animated));
    }

    [Fact]
    public async Task A_still_image_becomes_three_square_webp_sizes_and_a_gif_stays_animated()
    {
        var owner = await fixture.RegisterAsync();
        var still = await fixture.UploadAsync(owner.Id, "Still", Png(90, 30, Blue));
        var animated = await fixture.UploadAsync(owner.Id, "Spin", Gif(40, 40, Red, Green, Blue, Yellow));

        Assert.False(still.Animated);
        Assert.True(animated.Animated);
        foreach (var emote in new[] { still, animated })
        {
            Assert.Equal([28, 56, 112], emote.Images.Select(i => i.Size));
            Assert.Equal(emote.Images[0].Url, emote.ImageUrl);
            foreach (var image in emote.Images)
            {
                var bytes = await File.ReadAllBytesAsync(FileOf(image.Url));
                Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
                Assert.Equal("WEBP", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
                using var codec = SKCodec.Create(new MemoryStream(bytes));
                Assert.Equal((image.Size, image.Size), (codec.Info.Width, codec.Info.Height));
                if (emote.Animated)
                {
                    // Four frames of 0.1 s, looping in 0.4 s.
                    var durations = AnimatedWebP.Durations(bytes);
                    Assert.True(durations.Count > 1, $"{image.Size}: {durations.Count} frame(s)");
                    Assert.Equal(400, durations.Sum());
                    Assert.True(codec.FrameCount > 1);
                }
                else
                {
                    Assert.Empty(AnimatedWebP.Durations(bytes));
                    // Fitted whole: a 3:1 picture leaves the top and bottom transparent and fills the middle.
                    using var bitmap = SKBitmap.Decode(bytes);
                    Assert.Equal(0, bitmap.GetPixel(image.Size / 2, 1).Alpha);
                    Assert.Equal(Blue, bitmap.GetPixel(image.Size / 2, image.Size / 2));
                }
            }
        }

        // Not an image, a BMP, too small: refused before anything is stored.
        var processor = fixture.SiloServices.GetRequiredService<EmoteImageProcessor>();
        await RefusedAsync(() => processor.ProcessAsync("hello"u8.ToArray()), ErrorCodes.BadUserInput, "file");
        await RefusedAsync(() => processor.ProcessAsync(Bmp(64, 64)), ErrorCodes.BadUserInput, "file");
        await RefusedAsync(() => processor.ProcessAsync(Png(20, 64)), ErrorCodes.BadUserInput, "file");
        await RefusedAsync(() => processor.ProcessAsync(ForgedPng(5000, 5000)), ErrorCodes.BadUserInput, "file");
    }

    [Fact]
    public async Task Channel_emotes_become_fragments_in_their_chat_and_elsewhere_only_sponsor_only_ones_for_sponsors()
    {
        var owner = await fixture.RegisterAsync();
        var sponsor = await fixture.RegisterAsync();
        var viewer = await fixture.RegisterAsync();
        var elsewhere = await fixture.NewRoomAsync();
        var prefix = await fixture.Emotes(owner.Id).SetPrefixAsync(owner.Id, NewPrefix());
        var open = await fixture.UploadAsync(owner.Id, "Hype", Still);
        var perk = await fixture.UploadAsync(owner.Id, "Gold", Png(32, 32, Yellow), sponsorOnly: true);
        await fixture.SponsorAsync(owner.Id, sponsor.Id);
        var room = fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id);

        // In its own chat anyone uses the open one; the perk is text for a non-sponsor, an image for a sponsor and the owner.
        var message = await room.SendAsync(viewer.Id, $"so :{prefix}Hype: and :{prefix}Gold: and :{prefix}Nope:");
        var emote = Assert.Single(message.Fragments, f => f.Kind == ChatFragmentKind.Emote);
        Assert.Equal((open.Code, open.ImageUrl), (emote.Text, emote.ImageUrl));
        Assert.Equal((open.Id, owner.Id, false), (emote.Emote!.Id, emote.Emote.ChannelId, emote.Emote.Animated));
        Assert.Equal(open.Images, emote.Emote.Images);
        Assert.Equal(message.Text, string.Concat(message.Fragments.Select(f => f.Text)));
        Assert.Equal([open.Code, perk.Code], EmotesIn(await room.SendAsync(sponsor.Id, $":{prefix}Hype: :{prefix}Gold:")));
        Assert.Equal([perk.Code], EmotesIn(await room.SendAsync(owner.Id, $":{prefix}Gold:")));

        // In another channel's chat only the perk travels, and only with the channel's sponsors (and owner).
        Assert.Equal([perk.Code], EmotesIn(await elsewhere.Grain.SendAsync(sponsor.Id, $":{prefix}Hype: :{prefix}Gold:")));
        Assert.Equal([perk.Code], EmotesIn(await elsewhere.Grain.SendAsync(owner.Id, $":{prefix}Hype: :{prefix}Gold:")));
        Assert.Empty(EmotesIn(await elsewhere.Grain.SendAsync(viewer.Id, $":{prefix}Hype: :{prefix}Gold:")));

        // Global emotes are unchanged beside them; a code nobody holds stays text.
        var mixed = await room.SendAsync(viewer.Id, $":wgHype: :{prefix}Hype: :zzzzzzzzzzHype:");
        Assert.Equal([":wgHype:", open.Code], EmotesIn(mixed));
        Assert.Null(mixed.Fragments.First(f => f.Kind == ChatFragmentKind.Emote).Emote);

        // In emote-only mode a code the sender may not use counts as text: refused; one they may use passes.
        await room.UpdateSettingsAsync(owner.Id, new ChatSettingsUpdate(null, null, null, null, true));
        await RefusedAsync(() => room.SendAsync(viewer.Id, $":{prefix}Gold:"), ErrorCodes.Forbidden, "emoteOnly");
        Assert.Equal([open.Code], EmotesIn(await room.SendAsync(viewer.Id, open.Code)));

        // Stored with the message: the sizes read back after the room moves.
        await fixture.DeactivateAsync(room);
        var stored = (await room.GetHistoryAsync(20, null)).Messages.Single(m => m.Id == message.Id);
        var storedEmote = Assert.Single(stored.Fragments, f => f.Kind == ChatFragmentKind.Emote).Emote!;
        Assert.Equal((open.Id, owner.Id), (storedEmote.Id, storedEmote.ChannelId));
        Assert.Equal(open.Images, storedEmote.Images);
    }

    [Fact]
    public async Task Renames_sponsor_only_switches_prefix_changes_and_deletes_show_in_the_next_message()
    {
        var owner = await fixture.RegisterAsync();
        var viewer = await fixture.RegisterAsync();
        var grain = fixture.Emotes(owner.Id);
        var room = fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id);
        var prefix = await grain.SetPrefixAsync(owner.Id, NewPrefix());
        var hype = await fixture.UploadAsync(owner.Id, "Hype", Still);
        var wave = await fixture.UploadAsync(owner.Id, "Wave", Still);
        Assert.Equal([hype.Code], EmotesIn(await room.SendAsync(viewer.Id, hype.Code))); // now cached

        await RefusedAsync(() => grain.RenameAsync(viewer.Id, hype.Id, "Party"), ErrorCodes.Forbidden);
        await RefusedAsync(() => grain.RenameAsync(owner.Id, Guid.NewGuid(), "Party"), ErrorCodes.NotFound);
        await RefusedAsync(() => grain.RenameAsync(owner.Id, hype.Id, "wave"), ErrorCodes.BadUserInput, "name");
        await RefusedAsync(() => grain.RenameAsync(owner.Id, hype.Id, "party"), ErrorCodes.BadUserInput, "name");
        var party = await grain.RenameAsync(owner.Id, hype.Id, "Party");
        Assert.Equal((hype.Id, $":{prefix}Party:"), (party.Id, party.Code));
        Assert.Equal(hype.Images, party.Images);
        Assert.Equal([party.Code], EmotesIn(await room.SendAsync(viewer.Id, $"{hype.Code} {party.Code}")));

        await RefusedAsync(() => grain.SetSponsorOnlyAsync(viewer.Id, wave.Id, true), ErrorCodes.Forbidden);
        Assert.True((await grain.SetSponsorOnlyAsync(owner.Id, wave.Id, true)).SponsorOnly);
        Assert.Empty(EmotesIn(await room.SendAsync(viewer.Id, wave.Code)));
        await grain.SetSponsorOnlyAsync(owner.Id, wave.Id, false);
        Assert.Equal([wave.Code], EmotesIn(await room.SendAsync(viewer.Id, wave.Code)));

        var moved = await grain.SetPrefixAsync(owner.Id, NewPrefix());
        Assert.Equal([$":{moved}Party:"], EmotesIn(await room.SendAsync(viewer.Id, $":{prefix}Party: :{moved}Party:")));

        await RefusedAsync(() => grain.DeleteAsync(viewer.Id, wave.Id), ErrorCodes.Forbidden);
        await grain.DeleteAsync(owner.Id, wave.Id);
        await RefusedAsync(() => grain.DeleteAsync(owner.Id, wave.Id), ErrorCodes.NotFound);
        Assert.Empty(EmotesIn(await room.SendAsync(viewer.Id, $":{moved}Wave:")));
        Assert.All(wave.Images, i => Assert.False(File.Exists(FileOf(i.Url)), i.Url));
        Assert.All(party.Images, i => Assert.True(File.Exists(FileOf(i.Url)), i.Url));

        // The message sent before keeps its image.
        var history = (await room.GetHistoryAsync(20, null)).Messages;
        Assert.Contains(history, m => m.Fragments.Any(f => f.Emote?.Id == wave.Id));
    }

    [Fact]
    public async Task An_erased_account_loses_its_emotes_files_and_prefix()
    {
        var owner = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        var grain = fixture.Emotes(owner.Id);
        var prefix = await grain.SetPrefixAsync(owner.Id, NewPrefix());
        var hype = await fixture.UploadAsync(owner.Id, "Hype", Still);
        Assert.True(Directory.Exists(Path.Combine(fixture.MediaDirectory, ChannelEmotesGrain.StorageFolder(owner.Id))));

        await grain.EraseAsync();

        var set = await grain.GetAsync();
        Assert.Null(set.Prefix);
        Assert.Empty(set.Emotes);
        Assert.False(Directory.Exists(Path.Combine(fixture.MediaDirectory, ChannelEmotesGrain.StorageFolder(owner.Id))));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM channel_emotes WHERE channel_id = @id", owner.Id));
        Assert.Empty(EmotesIn(await fixture.GrainFactory.GetGrain<IChatRoomGrain>(other.Id).SendAsync(owner.Id, hype.Code)));

        // The prefix is free for anyone.
        Assert.Equal(prefix, await fixture.Emotes(other.Id).SetPrefixAsync(other.Id, prefix));
    }

    [Fact]
    public async Task Changes_are_announced_on_the_emotes_stream_and_each_silo_drops_what_it_cached()
    {
        var owner = await fixture.RegisterAsync();
        var grain = fixture.Emotes(owner.Id);
        var prefix = await grain.SetPrefixAsync(owner.Id, NewPrefix());
        var announced = new List<EmotesChanged>();
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<EmotesChanged>(StreamId.Create(StreamNames.Emotes, StreamNames.EmotesKey));
        var handle = await stream.SubscribeAsync((change, _) =>
        {
            lock (announced)
            {
                announced.Add(change);
            }

            return Task.CompletedTask;
        });
        try
        {
            await fixture.UploadAsync(owner.Id, "Hype", Still);
            var moved = await grain.SetPrefixAsync(owner.Id, NewPrefix());
            await Eventually(() =>
            {
                lock (announced)
                {
                    return announced.Any(c => c.ChannelId == owner.Id && c.Prefixes.SequenceEqual([prefix]))
                        && announced.Any(c => c.ChannelId == owner.Id && c.Prefixes.SequenceEqual([prefix, moved]));
                }
            });

            // The silo's cache answers from memory until an announcement (from anywhere) names the prefix.
            var cache = fixture.SiloServices.GetRequiredService<ChannelEmoteCache>();
            Assert.NotNull(await cache.GetAsync(moved));
            var fetches = cache.Fetches;
            Assert.NotNull(await cache.GetAsync(moved));
            Assert.Equal(fetches, cache.Fetches);
            await stream.OnNextAsync(new EmotesChanged(owner.Id, [moved]));
            await Eventually(async () =>
            {
                await cache.GetAsync(moved);
                return cache.Fetches > fetches;
            });
        }
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }

    private static List<string> EmotesIn(ChatMessage message) =>
        message.Fragments.Where(f => f.Kind == ChatFragmentKind.Emote).Select(f => f.Text).ToList();

    private static string NewPrefix() => "e" + Guid.NewGuid().ToString("N")[..9];

    private string FileOf(string url) => Path.Combine(fixture.MediaDirectory, url["/media/".Length..]);

    private static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    private static async Task Eventually(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + ChatGrainTestKit.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(50);
        }
    }
}
