using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Streams;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Tests.Streams;

/// <summary>
/// Going live and ending are one event each, <c>StreamStatusChanged</c> on the channel's
/// <c>stream-status</c> stream, seen from an Orleans client that joins the Api's silo.
/// </summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class StreamStatusEventTests(StreamsFixture fixture)
{
    [Fact]
    public async Task Going_live_and_ending_publish_one_status_event_each()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        await owner.DataAsync("mutation { updateStream(input: {title: \"Notify me\", category: \"music\"}) { title } }");
        var key = await fixture.StreamKeyAsync(owner);

        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(fixture.Api.GatewayPort)
            .Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = fixture.ClusterId;
                o.ServiceId = "wg-stream";
            })
            .AddMemoryStreams(StreamNames.Provider));
        using var host = builder.Build();
        await host.StartAsync();
        var events = Channel.CreateUnbounded<StreamStatusChanged>();
        var stream = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamNames.Provider)
            .GetStream<StreamStatusChanged>(StreamId.Create(StreamNames.StreamStatus, account.Id));
        // Title and viewer-count updates travel on the same stream; this test is about the two transitions.
        var handle = await stream.SubscribeAsync((e, _) =>
            e.Kind == StreamStatusKind.Updated ? Task.CompletedTask : events.Writer.WriteAsync(e).AsTask());

        await fixture.GoLiveAsync(key, clientId: 41);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var live = await events.Reader.ReadAsync(timeout.Token);
        Assert.Equal(StreamStatusKind.Live, live.Kind);
        Assert.Equal(account.Id, live.ChannelId);
        Assert.Equal("Notify me", live.Title);
        Assert.Equal("music", live.CategorySlug);
        Assert.Null(live.EndReason);

        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", key, 41))).Dispose();
        var offline = await events.Reader.ReadAsync(timeout.Token);
        Assert.Equal(StreamStatusKind.Offline, offline.Kind);
        Assert.Equal(live.StreamId, offline.StreamId);
        Assert.Equal(StreamEndReason.PublisherStopped, offline.EndReason);

        await Task.Delay(300);
        Assert.False(events.Reader.TryRead(out var extra), $"Unexpected {extra}");
        await handle.UnsubscribeAsync();
        await host.StopAsync();
    }
}
