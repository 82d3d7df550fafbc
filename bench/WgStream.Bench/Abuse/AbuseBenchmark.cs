using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WgStream.Bench.LiveFeed;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench.Abuse;

/// <summary>
/// What each anonymous abuse request costs one Api node (its silo co-hosted), with the shipped
/// defaults: for every request, the answer's status and code, wall time, the server's CPU from its
/// own /proc counters, and its resident memory at the peak (sampled every 5 ms) against before.
/// Issue 15's target: no anonymous request up to the body limit costs more than 1 s CPU or 50 MB.
/// </summary>
public static class AbuseBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var repeat = BenchArgs.Int(args, "--repeat", 5);
        await using var servers = await LiveFeedServers.StartAsync(1);
        await servers.Apis[0].WaitReadyAsync(TimeSpan.FromSeconds(120));
        using var http = new HttpClient { BaseAddress = servers.Apis[0].BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Console.WriteLine($"abuse: one Api node, shipped defaults, each request {repeat} times in a row; load {ServerProcessStats.LoadAverage()}");
        Console.WriteLine($"RSS at start {servers.RssKiB() / 1024} MB");
        Console.WriteLine("| request | body | answer | wall (min / max) | server CPU (min / max) | RSS peak over before (max) |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|");

        // A real account, so that a wrong password and an unknown login can be compared.
        await servers.RegisterAsync("abuse");
        var known = (await servers.QueryAsync(null, "{ searchChannels(query: \"abuse\", first: 1) { edges { node { username } } } }"))
            .GetProperty("searchChannels").GetProperty("edges")[0].GetProperty("node").GetProperty("username").GetString()!;
        const string login = "mutation($i: LoginInput!) { login(input: $i) { token } }";
        var cases = new (string Name, Func<HttpContent> Body)[]
        {
            ("login: wrong password for an account", () => JsonContent.Create(new { query = login, variables = new { i = new { login = known, password = "wrong-Password-1" } } })),
            ("login: no such account", () => JsonContent.Create(new { query = login, variables = new { i = new { login = "nobody_" + Guid.NewGuid().ToString("N")[..10], password = "wrong-Password-1" } } })),
            ("2,000 aliases of __schema with a fragment", () => Json(AbuseDocuments.AliasBomb)),
            ("__typename 20,000 times", () => Json(AbuseDocuments.RepeatedField)),
            ("20 fragments each spreading the next twice", () => Json(AbuseDocuments.FragmentDoubling)),
            ("40 aliases of a nested introspection", () => Json(AbuseDocuments.NestedIntrospection)),
            ("one directive 10,000 times", () => Json(AbuseDocuments.RepeatedDirective)),
            ("5,000 operations", () => Json(AbuseDocuments.ManyOperations, "Q4999")),
            ("variables: 250 KB string", () => JsonContent.Create(new { query = "query($s: String) { __typename }", variables = new { s = new string('x', 250_000) } })),
            ("variables: arrays nested 60,000 deep", () => Raw("{\"query\":\"query($s: [String]) { __typename }\",\"variables\":{\"s\":" + new string('[', 60_000) + new string(']', 60_000) + "}}")),
            ("chunked body of 8 MB", () => Chunked(8 * 1024 * 1024)),
        };
        foreach (var (name, body) in cases)
        {
            var samples = new List<(int Status, string Code, TimeSpan Wall, TimeSpan Cpu, long RssKiB, long Bytes)>();
            for (var i = 0; i < repeat; i++)
            {
                samples.Add(await MeasureAsync(servers, http, body()));
            }

            var first = samples[0];
            Console.WriteLine(
                $"| {name} | {first.Bytes / 1024:N0} KB | {first.Status} {first.Code} | {samples.Min(s => s.Wall).TotalMilliseconds:N0} / {samples.Max(s => s.Wall).TotalMilliseconds:N0} ms | "
                + $"{samples.Min(s => s.Cpu).TotalMilliseconds:N0} / {samples.Max(s => s.Cpu).TotalMilliseconds:N0} ms | {samples.Max(s => s.RssKiB) / 1024.0:N1} MB |");
        }

        Console.WriteLine($"RSS at end {servers.RssKiB() / 1024} MB; /healthz {(int)(await http.GetAsync("/healthz")).StatusCode}");
        if (servers.FirstLoggedException() is { } logged)
        {
            Console.WriteLine($"logged: {logged}");
        }
    }

    private static async Task<(int, string, TimeSpan, TimeSpan, long, long)> MeasureAsync(LiveFeedServers servers, HttpClient http, HttpContent content)
    {
        using var _ = content;
        var bytes = content.Headers.ContentLength ?? 0;
        var before = servers.RssKiB();
        var ticks = servers.CpuTicks();
        var peak = before;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, servers.RssKiB());
                await Task.Delay(5);
            }
        });
        var watch = Stopwatch.StartNew();
        int status;
        string code;
        try
        {
            using var response = await http.PostAsync("/graphql", content);
            var text = await response.Content.ReadAsStringAsync();
            status = (int)response.StatusCode;
            code = Code(text);
        }
        catch (HttpRequestException e)
        {
            (status, code) = (0, e.InnerException?.GetType().Name ?? e.GetType().Name);
        }

        var wall = watch.Elapsed;
        await done.CancelAsync();
        await sampler;
        peak = Math.Max(peak, servers.RssKiB());
        return (status, code, wall, ServerProcessStats.CpuTime(servers.CpuTicks() - ticks), peak - before, bytes);
    }

    private static string Code(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("errors", out var errors) && errors[0].TryGetProperty("extensions", out var extensions)
                ? extensions.GetProperty("code").GetString() ?? "?"
                : "data";
        }
        catch (JsonException)
        {
            return $"({body.Length} bytes, not JSON)";
        }
    }

    private static ByteArrayContent Json(string query, string? operationName = null) => Raw(JsonSerializer.Serialize(new { query, operationName }));

    private static ByteArrayContent Raw(string json)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    /// <summary>A body with no length: the server only learns its size by reading it.</summary>
    private static StreamContent Chunked(int length)
    {
        var bytes = new byte[length];
        Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\",\"variables\":{\"x\":\"").CopyTo(bytes, 0);
        var content = new StreamContent(new UnseekableStream(bytes));
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
