using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Channels;

/// <summary>
/// Anyone may ask for any id or channel name. A made-up one costs the read that finds nothing and
/// leaves no activation behind: without that, a stream of random ids would hold an activation
/// each until idle collection.
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class MadeUpIdTests(DiscoveryFixture fixture)
{
    [Fact]
    public async Task Anonymous_reads_of_made_up_ids_and_names_answer_nothing_and_leave_no_activation()
    {
        var (clip, video, stream, channel) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var name = $"n{Guid.NewGuid():N}"[..20];
        var anonymous = fixture.CreateClient();

        var data = await anonymous.DataAsync(
            "query($c: ID!, $v: ID!, $s: ID!, $n: String!) { clip(id: $c) { id } video(id: $v) { id } stream(id: $s) { id } channel(username: $n) { id } }",
            new { c = clip, v = video, s = stream, n = name });
        foreach (var field in new[] { "clip", "video", "stream", "channel" })
        {
            Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty(field).ValueKind);
        }

        // Chat by a channel id that is none: NOT_FOUND, and no room activated for it.
        (await anonymous.SendAsync("query($c: ID!) { chatRoom(channelId: $c) { moderatorIds } }", new { c = channel })).AssertError("NOT_FOUND");
        (await anonymous.SendAsync("query($c: ID!) { chatMessages(channelId: $c) { messages { id } } }", new { c = channel })).AssertError("NOT_FOUND");

        // A channel by id is read straight from its grain by several fields (the LiveKit viewer token, for one).
        var grains = fixture.Cluster;
        Assert.Null(await grains.GetGrain<IChannelGrain>(channel).GetAsync());

        var management = grains.GetGrain<IManagementGrain>(0);
        IAddressable[] asked =
        [
            grains.GetGrain<IClipGrain>(clip),
            grains.GetGrain<IVideoGrain>(video),
            grains.GetGrain<IStreamGrain>(stream),
            grains.GetGrain<IChannelGrain>(channel),
            grains.GetGrain<IChannelNameGrain>(name),
            grains.GetGrain<IChatRoomGrain>(channel),
        ];
        // The activations themselves, not the directory (whose cache may still name one that is gone).
        foreach (var grain in asked)
        {
            var id = grain.GetGrainId();
            await DriftTestKit.EventuallyAsync(
                async () => !(await management.GetDetailedGrainStatistics()).Any(a => a.GrainId == id),
                $"{grain} stayed activated after a read that found nothing.",
                TimeSpan.FromSeconds(15));
        }
    }
}
