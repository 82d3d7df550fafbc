using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// deploy/grafana/wgstream-dashboard.json cannot drift from the code: every metric its PromQL names
/// is in a real <c>/metrics</c> scrape of a running Api (which co-hosts a silo, so the silo's
/// metrics are there too) after some traffic, and its panels read the data source and scrape
/// targets that compose provisions.
/// </summary>
[Collection(DashboardCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed partial class GrafanaDashboardTests(DashboardFixture fixture)
{
    /// <summary>On the dashboard, yet out of a test's reach; each with the reason.</summary>
    private static readonly Dictionary<string, string> Exempt = new()
    {
        // Counted only when a real encoder runs slower than real time for Streams:TranscodeSlowFor.
        ["wg_streams_transcode_fallbacks_total"] = "needs ffmpeg encoding too slowly",
        // Outgoing calls go to S3, Stripe, Telegram, Janus or LiveKit, none of which this Api has.
        ["http_client_request_duration_seconds_count"] = "needs a configured external service",
    };

    private static string DashboardPath => Path.Combine(RepoPaths.Root, "deploy", "grafana", "wgstream-dashboard.json");

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_in_a_scrape_of_the_running_api()
    {
        var wanted = DashboardMetrics();
        Assert.True(wanted.Count >= 15, $"only {wanted.Count} metrics found in the dashboard: is the PromQL parsed? {string.Join(", ", wanted)}");
        Assert.All(Exempt.Keys, name => Assert.Contains(name, wanted));

        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var ready = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!(await http.GetAsync("/readyz")).IsSuccessStatusCode && DateTime.UtcNow < ready)
        {
            await Task.Delay(250);
        }

        // Traffic: an account, a broadcast (with its HLS worker), a realtime socket subscribed to the
        // room (so the chat message is fanned out: deliveries and their latency), a viewer in the
        // SignalR room, a chat message, an error.
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        await fixture.GoLiveAsync(client, account.Id);
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        await ws.SendAsync(new { id = "chat", type = "subscribe", payload = new { query = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { id } }", variables = new { c = account.Id } } });
        await Realtime.LiveFeedTests.PingAsync(ws);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat")).Build();
        await hub.StartAsync();
        await hub.InvokeAsync<JsonElement>("JoinChannel", account.Id.ToString());
        await client.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"on the dashboard\") { id } }", new { c = account.Id });
        using var notFound = await http.GetAsync("/no-such-route");

        // Counters appear at their first measurement, some a moment after the request (the HLS worker's restart).
        var missing = wanted.Except(Exempt.Keys).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            var scraped = ScrapedNames(await http.GetStringAsync("/metrics"));
            missing = [.. missing.Where(name => !scraped.Contains(name))];
            if (missing.Count > 0)
            {
                await Task.Delay(500);
            }
        }

        Assert.True(missing.Count == 0, $"The dashboard queries metrics the Api does not export: {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_panels_read_the_provisioned_data_source_and_prometheus_scrapes_the_compose_services()
    {
        var datasources = DeploymentFilesTests.LoadYaml(Path.Combine(RepoPaths.Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yaml"));
        var uid = (string?)DeploymentFilesTests.Map(Assert.IsAssignableFrom<IList<object>>(datasources["datasources"]).Single())["uid"];
        var panels = Panels().Where(p => p.GetProperty("type").GetString() != "row").ToList();
        Assert.NotEmpty(panels);
        Assert.All(panels, panel =>
        {
            Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEqual(0, panel.GetProperty("targets").GetArrayLength());
        });

        var compose = DeploymentFilesTests.Map(DeploymentFilesTests.LoadYaml(Path.Combine(RepoPaths.Root, "docker-compose.yml"))["services"]);
        var prometheus = File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "prometheus", "prometheus.yml"));
        var targets = Target().Matches(prometheus).Select(m => (Host: m.Groups[1].Value, Port: m.Groups[2].Value)).ToList();
        Assert.Contains(targets, t => t.Host == "api");
        foreach (var (host, port) in targets)
        {
            Assert.True(compose.ContainsKey(host), $"prometheus.yml scrapes {host}, which docker-compose.yml does not run");
            if (host.StartsWith("silo", StringComparison.Ordinal))
            {
                var environment = DeploymentFilesTests.Map(DeploymentFilesTests.Map(compose[host])["environment"]);
                Assert.Equal(port, environment["WG_Telemetry__SiloMetricsPort"]);
            }
        }

        Assert.Contains(targets, t => t.Host.StartsWith("silo", StringComparison.Ordinal));
    }

    /// <summary>The metric names in the dashboard's PromQL: what is left once strings, label matchers, ranges, grouping clauses, functions and keywords are taken out.</summary>
    internal static HashSet<string> DashboardMetrics()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var panel in Panels())
        {
            foreach (var target in panel.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                var expr = target.GetProperty("expr").GetString()!;
                expr = Grouping().Replace(Range().Replace(Matchers().Replace(Strings().Replace(expr, ""), ""), ""), "");
                foreach (Match token in Identifier().Matches(expr))
                {
                    if (!Keywords.Contains(token.Value))
                    {
                        names.Add(token.Value);
                    }
                }
            }
        }

        return names;
    }

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"];

    private static IEnumerable<JsonElement> Panels()
    {
        var root = JsonDocument.Parse(File.ReadAllText(DashboardPath)).RootElement;
        foreach (var panel in root.GetProperty("panels").EnumerateArray())
        {
            yield return panel;
            // A collapsed row holds its panels inside it.
            foreach (var inner in panel.TryGetProperty("panels", out var nested) ? nested.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                yield return inner;
            }
        }
    }

    private static HashSet<string> ScrapedNames(string scrape) =>
        scrape.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => SampleName().Match(line).Value)
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // Not followed by "(": that is a function or aggregation.
    [GeneratedRegex(@"(?<![\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*\b(?!\s*\()")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex SampleName();

    [GeneratedRegex(@"""([a-z0-9-]+):(\d+)""")]
    private static partial Regex Target();
}
