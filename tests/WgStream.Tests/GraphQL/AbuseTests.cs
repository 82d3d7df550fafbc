using System.Net;
using System.Text;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// Documents an outsider can send anonymously that cost far more than their size: each is refused
/// with a stable code, over HTTP and over graphql-transport-ws, and the Api still serves afterwards.
/// What they cost the server (CPU, memory) is measured by the <c>abuse</c> benchmark.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AbuseTests(ApiFixture fixture)
{
    [Theory]
    [InlineData(nameof(AbuseDocuments.AliasBomb))]
    [InlineData(nameof(AbuseDocuments.RepeatedField))]
    [InlineData(nameof(AbuseDocuments.FragmentDoubling))]
    [InlineData(nameof(AbuseDocuments.RepeatedDirective))]
    [InlineData(nameof(AbuseDocuments.ManyOperations))]
    public async Task Documents_whose_expansion_is_huge_are_refused_before_validation(string bomb)
    {
        var response = await fixture.CreateClient().SendAsync(Bomb(bomb));
        response.AssertError("QUERY_TOO_COMPLEX", HttpStatusCode.BadRequest);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task An_answer_that_multiplies_past_the_result_budget_is_cut_off_with_its_own_code()
    {
        var response = await fixture.CreateClient().SendAsync(AbuseDocuments.NestedIntrospection);
        response.AssertError("RESPONSE_TOO_LARGE", HttpStatusCode.OK);
        Assert.True(response.Body.Length < 2_000, response.Body[..Math.Min(500, response.Body.Length)]);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Introspection_counts_against_the_selection_limit_like_any_field()
    {
        var wide = "{ __schema { types {" + string.Concat(Enumerable.Repeat(" name kind", 1000)) + " } } }";
        (await fixture.CreateClient().SendAsync(wide)).AssertError("QUERY_TOO_COMPLEX", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_refused_without_being_read_whole()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            // No Content-Length: the server only finds out the size by reading.
            Content = new StreamContent(new RepeatingStream(Encoding.UTF8.GetBytes("{\"query\":\"{ __typename }\",\"variables\":{\"x\":\""), 300 * 1024)),
        };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Over_graphql_transport_ws_the_same_documents_get_an_error_message_with_the_same_codes()
    {
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        // Refused before execution: an error message.
        foreach (var (id, query) in new[] { ("1", AbuseDocuments.AliasBomb), ("2", AbuseDocuments.FragmentDoubling) })
        {
            await ws.SendAsync(new { id, type = "subscribe", payload = new { query } });
            var message = await ws.ReceiveAsync() ?? throw new InvalidOperationException($"The socket closed: {ws.CloseStatus} {ws.CloseDescription}");
            Assert.True(message.GetProperty("type").GetString() == "error", message.ToString()[..Math.Min(400, message.ToString().Length)]);
            Assert.Equal(id, message.GetProperty("id").GetString());
            Assert.Equal("QUERY_TOO_COMPLEX", message.GetProperty("payload")[0].GetProperty("extensions").GetProperty("code").GetString());
        }

        // Stopped during execution: a result with the error and no data, then complete.
        await ws.SendAsync(new { id = "3", type = "subscribe", payload = new { query = AbuseDocuments.NestedIntrospection } });
        var cut = await ws.ReceiveAsync() ?? throw new InvalidOperationException("The socket closed.");
        Assert.Equal("next", cut.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, cut.GetProperty("payload").GetProperty("data").ValueKind);
        Assert.Equal("RESPONSE_TOO_LARGE", cut.GetProperty("payload").GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("complete", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        // The socket is still usable.
        await ws.SendAsync(new { id = "4", type = "subscribe", payload = new { query = "{ __typename }" } });
        var next = await ws.ReceiveAsync();
        Assert.Equal("next", next?.GetProperty("type").GetString());
    }

    private static string Bomb(string name) => (string)typeof(AbuseDocuments).GetField(name)!.GetValue(null)!;

    private async Task AssertStillServesAsync() =>
        Assert.Equal("Query", (await fixture.CreateClient().DataAsync("{ __typename }")).GetProperty("__typename").GetString());

    /// <summary>A JSON prefix and then a string's worth of one letter, <paramref name="length"/> bytes in all, never held in memory.</summary>
    private sealed class RepeatingStream(byte[] prefix, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            for (var i = 0; i < n; i++, position++)
            {
                buffer[offset + i] = position < prefix.Length ? prefix[position] : (byte)'a';
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
