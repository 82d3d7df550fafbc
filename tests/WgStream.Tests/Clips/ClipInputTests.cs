using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Clips;

/// <summary>Every input of the clip API refused with its stable code (and field), against the real Api with its shipped defaults.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ClipInputTests(ApiFixture fixture)
{
    private const string Create = "mutation($c: ID!, $v: ID, $f: Float, $s: Int, $t: String!) { createClip(channelId: $c, videoId: $v, fromSeconds: $f, seconds: $s, title: $t) { id } }";

    [Fact]
    public async Task Clip_requests_are_refused_with_stable_codes_and_fields()
    {
        var streamer = fixture.CreateClient();
        var channel = await streamer.RegisterAsync();
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();

        // Signed-out viewers cannot clip or delete.
        (await fixture.CreateClient().SendAsync(Create, new { c = channel.Id, t = "Hi" })).AssertError("UNAUTHENTICATED");
        (await fixture.CreateClient().SendAsync("mutation($id: ID!) { deleteClip(id: $id) }", new { id = Guid.NewGuid() })).AssertError("UNAUTHENTICATED");

        // Shape: length, title, position, ids.
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "seconds", new { c = channel.Id, s = 4, t = "Short" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "seconds", new { c = channel.Id, s = 61, t = "Long" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "seconds", new { c = channel.Id, s = -30, t = "Negative" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "title", new { c = channel.Id, t = "" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "title", new { c = channel.Id, t = " \t\u200B\u202E " });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "title", new { c = channel.Id, t = new string('x', 101) });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "fromSeconds", new { c = channel.Id, f = 10.0, t = "Live with a position" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "fromSeconds", new { c = channel.Id, v = Guid.NewGuid(), f = -1.0, t = "Before the start" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "fromSeconds", new { c = channel.Id, v = Guid.NewGuid(), f = 1e12, t = "Far away" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "channelId", new { c = "not-an-id", t = "Bad id" });
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "videoId", new { c = channel.Id, v = "nope", t = "Bad id" });
        (await viewer.SendAsync("mutation { createClip(channelId: \"" + channel.Id + "\") { id } }")).AssertError("BAD_USER_INPUT");

        // The source: unknown channel or video, a channel that is not live.
        await AssertRefusedAsync(viewer, "NOT_FOUND", "channelId", new { c = Guid.NewGuid(), t = "Nobody" });
        await AssertRefusedAsync(viewer, "NOT_FOUND", "videoId", new { c = channel.Id, v = Guid.NewGuid(), f = 0.0, t = "No video" });
        await AssertRefusedAsync(viewer, "CONFLICT", null, new { c = channel.Id, t = "Offline" });

        // Reading and deleting.
        Assert.Equal(JsonValueKind.Null, (await viewer.DataAsync("query($id: ID!) { clip(id: $id) { id } }", new { id = Guid.NewGuid() })).GetProperty("clip").ValueKind);
        (await viewer.SendAsync("query { clip(id: \"x\") { id } }")).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("mutation($id: ID!) { deleteClip(id: $id) }", new { id = Guid.NewGuid() })).AssertError("NOT_FOUND");
        (await viewer.SendAsync("query($c: ID!) { clips(channelId: $c, first: 1000) { edges { cursor } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($c: ID!) { clips(channelId: $c, first: 0) { edges { cursor } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($c: ID!) { clips(channelId: $c, after: \"bm9wZQ\") { edges { cursor } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($c: ID!) { clips(channelId: $c, orderBy: LOUDEST) { edges { cursor } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        Assert.Empty((await viewer.DataAsync("query($c: ID!) { clips(channelId: $c, orderBy: MOST_VIEWED) { edges { cursor } } }", new { c = channel.Id })).GetProperty("clips").GetProperty("edges").EnumerateArray());
        Assert.True((await fixture.CreateClient().DataAsync("mutation($id: ID!) { viewClip(id: $id) }", new { id = Guid.NewGuid() })).GetProperty("viewClip").GetBoolean());
    }

    [Fact]
    public async Task An_account_asking_for_more_clips_than_the_default_limit_is_rate_limited_with_a_retry_time()
    {
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();

        // Clips:CreatePerAccount ships as 10 per 10 minutes; every well-formed request counts, found or not.
        for (var i = 0; i < 10; i++)
        {
            await AssertRefusedAsync(viewer, "NOT_FOUND", "channelId", new { c = Guid.NewGuid(), t = $"Attempt {i}" });
        }

        var limited = await viewer.SendAsync(Create, new { c = Guid.NewGuid(), t = "One too many" });
        limited.AssertError("RATE_LIMITED");
        Assert.InRange(limited.FirstError.GetProperty("extensions").GetProperty("retryAfterSeconds").GetInt32(), 550, 600);

        // Badly formed requests are refused before they are counted, and other accounts are not limited by it.
        await AssertRefusedAsync(viewer, "BAD_USER_INPUT", "title", new { c = Guid.NewGuid(), t = "" });
        var other = fixture.CreateClient();
        await other.RegisterAsync();
        await AssertRefusedAsync(other, "NOT_FOUND", "channelId", new { c = Guid.NewGuid(), t = "Mine" });
    }

    private static async Task AssertRefusedAsync(GraphQLClient client, string code, string? field, object variables)
    {
        var response = await client.SendAsync(Create, variables);
        response.AssertError(code);
        var extensions = response.FirstError.GetProperty("extensions");
        Assert.True(
            field is null ? !extensions.TryGetProperty("field", out _) : extensions.TryGetProperty("field", out var f) && f.GetString() == field,
            $"Expected field {field ?? "(none)"}: {response.Body}");
    }
}
