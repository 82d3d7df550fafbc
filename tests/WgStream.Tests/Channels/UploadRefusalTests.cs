using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WgStream.Api.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Tests.Channels;

/// <summary>
/// How an upload's refusal is answered. <c>BUSY</c> (the node's decode budget or concurrency limit,
/// see <c>DecodeGateTests</c>) cannot be provoked through a running Api without racing real uploads,
/// so its shape is checked here, beside <c>RATE_LIMITED</c> and a bad file.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class UploadRefusalTests
{
    [Theory]
    [InlineData(ErrorCodes.Busy, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(ErrorCodes.RateLimited, StatusCodes.Status429TooManyRequests)]
    public async Task Busy_and_rate_limited_say_when_to_retry(string code, int status)
    {
        var (http, json) = await AnswerAsync(new WgException(code, "wait", retryAt: DateTimeOffset.UtcNow.AddSeconds(4.5)));

        Assert.Equal(status, http.Response.StatusCode);
        Assert.Equal(code, json.GetProperty("code").GetString());
        Assert.Equal("5", http.Response.Headers.RetryAfter.ToString());
        Assert.Equal(5, json.GetProperty("retryAfterSeconds").GetInt32());
    }

    [Fact]
    public async Task A_bad_file_is_a_400_with_its_field_and_no_retry()
    {
        var (http, json) = await AnswerAsync(WgException.BadInput("The file is empty.", "file"));

        Assert.Equal(StatusCodes.Status400BadRequest, http.Response.StatusCode);
        Assert.Equal(ErrorCodes.BadUserInput, json.GetProperty("code").GetString());
        Assert.Equal("file", json.GetProperty("field").GetString());
        Assert.False(http.Response.Headers.ContainsKey("Retry-After"));
    }

    private static async Task<(HttpContext Http, JsonElement Json)> AnswerAsync(WgException refusal)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        using var body = new MemoryStream();
        http.Response.Body = body;

        await ChannelMediaEndpoints.Refusal(http, refusal).ExecuteAsync(http);

        return (http, JsonDocument.Parse(body.ToArray()).RootElement.Clone());
    }
}
