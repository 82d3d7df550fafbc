using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure.Fuzz;

namespace WgStream.Tests.Fuzz;

/// <summary>
/// Seeded junk at every endpoint an outsider can reach: the answer is a 4xx (or a close for what
/// cannot be framed), never a 5xx, never slow, never an error in the server's log; afterwards the
/// Api serves as before. Replay a failure with <c>WG_FUZZ_SEED</c> and the case number it names.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class HttpFuzzTests(FuzzFixture fixture)
{
    private const int RawRequests = 1_500;
    private const int GraphQLRequests = 1_500;
    private const int Concurrency = 8;

    /// <summary>Far above any honest answer; Kestrel's own 5 s grace for a stalled body is below it.</summary>
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Malformed_http_gets_4xx_or_a_close_and_nothing_the_server_logs_as_its_fault()
    {
        var logFrom = fixture.Api.Output.Length;
        var server = new IPEndPoint(IPAddress.Loopback, fixture.Api.Port);
        var cases = new HttpFuzzCases(FuzzFixture.Seed, FuzzFixture.IngestSecret, FuzzFixture.TelegramSecret).Next(RawRequests).ToList();
        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (request, _) =>
        {
            var answer = await RawHttpExchange.SendAsync(server, request, AnswerLimit);
            statuses.AddOrUpdate(answer.Status ?? 0, 1, (_, n) => n + 1);
            if (answer.Status >= 500 && answer.Status != request.PrescribedStatus)
            {
                failures.Enqueue($"{request.Description} -> {answer.Status}: {Shorten(answer.Body)}");
            }
            else if (answer.Status >= 400 && !request.IsHead && IsJson(answer.Head) && !answer.Body.Contains("\"code\"", StringComparison.Ordinal))
            {
                failures.Enqueue($"{request.Description} -> {answer.Status} without a code: {Shorten(answer.Body)}");
            }
        });

        Assert.True(failures.IsEmpty, $"seed {FuzzFixture.Seed}, {failures.Count} of {cases.Count}:\n{string.Join('\n', failures.Take(20))}");
        // The generator reaches the endpoints rather than being refused at the door every time.
        Assert.True(statuses.Keys.Count(s => s is >= 200 and < 300) > 0 && statuses.Keys.Count(s => s >= 400) >= 4,
            string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        await AssertServesAsBeforeAsync(logFrom);
    }

    [Fact]
    public async Task Mutated_graphql_documents_get_answers_with_codes_and_no_5xx()
    {
        var logFrom = fixture.Api.Output.Length;
        var cases = new GraphQLDocumentMutator(FuzzFixture.Seed).Next(GraphQLRequests).ToList();
        var failures = new ConcurrentQueue<string>();
        var codes = new ConcurrentDictionary<string, int>();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress, Timeout = AnswerLimit };
        var clients = 0;
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(item.Body, Encoding.UTF8, "application/json") };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
            // Many clients, as on the internet: one address would spend the run in its rate limit.
            var n = Interlocked.Increment(ref clients);
            request.Headers.Add("X-Forwarded-For", $"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}");
            using var response = await http.SendAsync(request, token);
            var body = await response.Content.ReadAsStringAsync(token);
            if ((int)response.StatusCode >= 500)
            {
                failures.Enqueue($"{item.Description} -> {(int)response.StatusCode}: {Shorten(body)}");
                return;
            }

            foreach (var code in ErrorCodes(body))
            {
                codes.AddOrUpdate(code ?? "(none)", 1, (_, c) => c + 1);
                if (code is null or "INTERNAL")
                {
                    failures.Enqueue($"{item.Description} -> an error without a stable code: {Shorten(body)}");
                }
            }
        });

        Assert.True(failures.IsEmpty, $"seed {FuzzFixture.Seed}, {failures.Count} of {cases.Count}:\n{string.Join('\n', failures.Take(20))}");
        // Most mutations break the document; some still run and reach resolvers.
        Assert.True(codes.GetValueOrDefault("BAD_USER_INPUT") > GraphQLRequests / 2, string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}")));
        await AssertServesAsBeforeAsync(logFrom);
    }

    [Fact]
    public async Task A_body_that_stops_short_of_its_length_is_a_client_error_whether_the_client_closes_or_stalls()
    {
        var logFrom = fixture.Api.Output.Length;
        var server = new IPEndPoint(IPAddress.Loopback, fixture.Api.Port);
        foreach (var path in new[] { "/graphql", "/webhooks/stripe", $"/ingest/rtmp/publish?secret={FuzzFixture.IngestSecret}", "/media/avatar", "/webhooks/livekit" })
        {
            var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: 1000\r\n\r\n{{\"query\":";
            var closed = await RawHttpExchange.SendAsync(server, new RawHttpRequest(path, Encoding.ASCII.GetBytes(head), HalfClose: true), AnswerLimit);
            Assert.True(closed.ClosedWithoutAnswer || closed.Status is >= 400 and < 500, $"{path} closed short: {closed.Status} {Shorten(closed.Body)}");

            // A client that stalls is dropped by Kestrel's minimum body data rate after its grace period.
            var stalled = await RawHttpExchange.SendAsync(server, new RawHttpRequest(path, Encoding.ASCII.GetBytes(head)), AnswerLimit);
            Assert.True(stalled.ClosedWithoutAnswer || stalled.Status is >= 400 and < 500, $"{path} stalled: {stalled.Status} {Shorten(stalled.Body)}");
        }

        await AssertServesAsBeforeAsync(logFrom);
    }

    private async Task AssertServesAsBeforeAsync(int logFrom)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        var client = fixture.CreateClient();
        var data = await client.DataAsync("{ categories { slug } }");
        Assert.Equal(JsonValueKind.Array, data.GetProperty("categories").ValueKind);
        fixture.AssertNoErrorsLoggedSince(logFrom);
    }

    private static IEnumerable<string?> ErrorCodes(string body)
    {
        using var json = JsonDocument.Parse(body);
        if (!json.RootElement.TryGetProperty("errors", out var errors))
        {
            yield break;
        }

        foreach (var error in errors.EnumerateArray())
        {
            yield return error.TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code) ? code.GetString() : null;
        }
    }

    private static bool IsJson(string head) => head.Contains("content-type: application/json", StringComparison.OrdinalIgnoreCase)
        || head.Contains("content-type: application/graphql-response+json", StringComparison.OrdinalIgnoreCase)
        || head.Contains("content-type: application/problem+json", StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..197] + "...";
}
