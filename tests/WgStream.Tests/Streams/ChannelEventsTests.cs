using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Streams;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Tests.Streams;

/// <summary>
/// What the notifications work will consume: StreamStarted and StreamEnded on the channel's
/// <c>channel-events</c> stream, seen from an Orleans client that joins the Api's silo.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class ChannelEventsTests(StreamsFixture fixture)
{
    [Fact]
    public async Task Going_live_and_ending_publish_channel_events()
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
        var events = Channel.CreateUnbounded<IChannelEvent>();
        var stream = host.Services.GetRequiredService<IClusterClient>().GetStreamProvider(StreamNames.Provider)
            .GetStream<IChannelEvent>(StreamId.Create(StreamNames.ChannelEvents, account.Id));
        var handle = await stream.SubscribeAsync((e, _) => events.Writer.WriteAsync(e).AsTask());

        await fixture.GoLiveAsync(key, clientId: 41);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var started = Assert.IsType<StreamStarted>(await events.Reader.ReadAsync(timeout.Token));
        Assert.Equal(account.Id, started.ChannelId);
        Assert.Equal("Notify me", started.Title);
        Assert.Equal("music", started.CategorySlug);

        (await fixture.IngestAsync("publish-done", StreamsFixture.RtmpForm("publish_done", key, 41))).Dispose();
        var ended = Assert.IsType<StreamEnded>(await events.Reader.ReadAsync(timeout.Token));
        Assert.Equal(started.StreamId, ended.StreamId);
        Assert.Equal(StreamEndReason.PublisherStopped, ended.Reason);

        await handle.UnsubscribeAsync();
        await host.StopAsync();
    }
}
