using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Realtime;

namespace WgStream.Tests.Operations;

/// <summary>
/// The chat fan-out's own metrics in a real <c>/metrics</c> scrape: one message to a room watched
/// by one SignalR connection and one graphql-transport-ws socket is one delivery per transport and
/// one latency measurement (per node, not per connection), and the SignalR member is a viewer
/// while it is in the room. Tests of a collection run one at a time, so the counters move only by
/// what this test does.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed partial class ChatMetricsTests(ApiFixture fixture)
{
    private const string Deliveries = "wg_chat_deliveries_total";
    private const string Latency = "wg_chat_delivery_latency_milliseconds";
    private const string Viewers = "wg_streams_viewers";

    [Fact]
    public async Task A_fanned_out_message_counts_one_delivery_per_connection_one_latency_per_node_and_its_room_member_as_a_viewer()
    {
        var sender = fixture.CreateClient();
        var owner = await sender.RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var before = Scrape.Parse(await http.GetStringAsync("/metrics"));

        var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat")).Build();
        await using (hub)
        {
            var viaHub = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
            hub.On<JsonElement>("message", payload => viaHub.TrySetResult(payload));
            await hub.StartAsync();
            await hub.InvokeAsync<JsonElement>("JoinChannel", owner.Id.ToString());

            await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
            await ws.InitAsync();
            await ws.SendAsync(new { id = "chat", type = "subscribe", payload = new { query = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { text } }", variables = new { c = owner.Id } } });
            await LiveFeedTests.PingAsync(ws);

            var watching = await ScrapeUntilAsync(http, s => s.Sum(Viewers) >= before.Sum(Viewers) + 1);
            Assert.Equal(before.Sum(Viewers) + 1, watching.Sum(Viewers));

            await sender.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"metered\") { id } }", new { c = owner.Id });
            Assert.Equal("metered", (await viaHub.Task.WaitAsync(TimeSpan.FromSeconds(10))).GetProperty("text").GetString());
            var next = (await ws.ReceiveAsync())!.Value;
            Assert.Equal("metered", next.GetProperty("payload").GetProperty("data").GetProperty("chatMessageAdded").GetProperty("text").GetString());

            // Counted just after the write is handed over, so the client may see the message a moment before the scrape does.
            var after = await ScrapeUntilAsync(http, s =>
                s.Sum(Deliveries, "transport=\"signalr\"") > before.Sum(Deliveries, "transport=\"signalr\"")
                && s.Sum(Deliveries, "transport=\"graphql-ws\"") > before.Sum(Deliveries, "transport=\"graphql-ws\"")
                && s.Sum($"{Latency}_count") > before.Sum($"{Latency}_count"));

            Assert.Equal(1, after.Sum(Deliveries, "transport=\"signalr\"") - before.Sum(Deliveries, "transport=\"signalr\""));
            Assert.Equal(1, after.Sum(Deliveries, "transport=\"graphql-ws\"") - before.Sum(Deliveries, "transport=\"graphql-ws\""));

            // Two transports on one node, one Orleans subscription: one measurement.
            Assert.Equal(1, after.Sum($"{Latency}_count") - before.Sum($"{Latency}_count"));
            Assert.Equal(1, after.Sum($"{Latency}_bucket", "le=\"+Inf\"") - before.Sum($"{Latency}_bucket", "le=\"+Inf\""));
            var measured = after.Sum($"{Latency}_sum") - before.Sum($"{Latency}_sum");
            Assert.InRange(measured, 0, 10_000);

            // The instrument's own buckets (1 ms to 10 s), not the exporter's defaults.
            Assert.True(after.Has($"{Latency}_bucket", "le=\"1\""), "no 1 ms bucket");
            Assert.True(after.Has($"{Latency}_bucket", "le=\"10000\""), "no 10 s bucket");
            Assert.False(after.Has($"{Latency}_bucket", "le=\"75\""), "the exporter's default buckets are in use");
            var within10s = after.Sum($"{Latency}_bucket", "le=\"10000\"") - before.Sum($"{Latency}_bucket", "le=\"10000\"");
            Assert.Equal(1, within10s);
        }

        // Leaving the room (the connection closing) stops the viewer counting.
        var left = await ScrapeUntilAsync(http, s => s.Sum(Viewers) <= before.Sum(Viewers));
        Assert.Equal(before.Sum(Viewers), left.Sum(Viewers));
    }

    private static async Task<Scrape> ScrapeUntilAsync(HttpClient http, Func<Scrape, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var scrape = Scrape.Parse(await http.GetStringAsync("/metrics"));
            if (done(scrape) || DateTime.UtcNow > deadline)
            {
                return scrape;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The samples of one Prometheus text scrape: name, label set as written, value.</summary>
    private sealed partial class Scrape(List<(string Name, string Labels, double Value)> samples)
    {
        public static Scrape Parse(string text) => new(
            [.. text.Split('\n')
                .Select(line => Sample().Match(line))
                .Where(m => m.Success)
                .Select(m => (m.Groups["name"].Value, m.Groups["labels"].Value, Value(m.Groups["value"].Value)))]);

        public bool Has(string name, string label) => samples.Any(s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal));

        /// <summary>The metric's samples summed over every label set that has <paramref name="label"/> (0 when none yet).</summary>
        public double Sum(string name, string label = "") =>
            samples.Where(s => s.Name == name && s.Labels.Contains(label, StringComparison.Ordinal)).Sum(s => s.Value);

        private static double Value(string text) => text switch
        {
            "+Inf" or "Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            _ => double.Parse(text, CultureInfo.InvariantCulture),
        };

        [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})?\s+(?<value>[-+]?Inf|NaN|[-+0-9.eE]+)")]
        private static partial Regex Sample();
    }
}
