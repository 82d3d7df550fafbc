using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Chat;

/// <summary>Channel emotes through the running Api: <c>POST /media/emote</c> and the GraphQL fields, with every refusal's stable code.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class EmoteApiTests(ApiFixture fixture)
{
    private const string EmoteFields = "id channelId name code prefix suffix animated sponsorOnly imageUrl images { size url }";

    private const string Available = "query($c: ID!) { availableEmotes(channelId: $c) { name code imageUrl images { size url } channelId animated sponsorOnly usable } }";

    [Fact]
    public async Task An_uploaded_emote_is_served_in_three_sizes_listed_offered_in_pickers_and_managed_by_its_owner()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var prefix = "p" + Guid.NewGuid().ToString("N")[..9];
        Assert.Equal(prefix, (await owner.DataAsync("mutation($c: ID!, $p: String!) { setEmotePrefix(channelId: $c, prefix: $p) }", new { c = account.Id, p = prefix }))
            .GetProperty("setEmotePrefix").GetString());

        var upload = await UploadAsync(http, account.Token, TestImages.Png(64, 64, TestImages.Red), "Hype");
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var emote = upload.Json.GetProperty("emote");
        Assert.Equal($"{prefix}Hype", emote.GetProperty("name").GetString());
        Assert.Equal($":{prefix}Hype:", emote.GetProperty("code").GetString());
        Assert.False(emote.GetProperty("animated").GetBoolean());
        foreach (var image in emote.GetProperty("images").EnumerateArray())
        {
            var size = image.GetProperty("size").GetInt32();
            using var response = await http.GetAsync(image.GetProperty("url").GetString());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            using var codec = SKCodec.Create(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
            Assert.Equal((size, size), (codec.Info.Width, codec.Info.Height));
        }

        var gold = (await UploadAsync(http, account.Token, TestImages.Gif(40, 40, TestImages.Yellow, TestImages.Blue), "Gold", sponsorOnly: "true")).Json.GetProperty("emote");
        Assert.True(gold.GetProperty("animated").GetBoolean());
        Assert.True(gold.GetProperty("sponsorOnly").GetBoolean());

        var listed = (await fixture.CreateClient().DataAsync($"query($c: ID!) {{ channelEmotes(channelId: $c) {{ {EmoteFields} }} }}", new { c = account.Id }))
            .GetProperty("channelEmotes").EnumerateArray().ToList();
        Assert.Equal([$"{prefix}Hype", $"{prefix}Gold"], listed.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal([28, 56, 112], listed[0].GetProperty("images").EnumerateArray().Select(i => i.GetProperty("size").GetInt32()));
        Assert.Equal(prefix, (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { emotePrefix } }", new { u = account.Username }))
            .GetProperty("channel").GetProperty("emotePrefix").GetString());

        // The picker: global emotes, then the channel's; the sponsor-only one locked for a viewer (and anonymous), open for the owner.
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();
        foreach (var client in new[] { viewer, fixture.CreateClient() })
        {
            var offered = (await client.DataAsync(Available, new { c = account.Id })).GetProperty("availableEmotes").EnumerateArray().ToList();
            Assert.Contains(offered, e => e.GetProperty("name").GetString() == "wgHype" && e.GetProperty("usable").GetBoolean() && e.GetProperty("images").GetArrayLength() == 0);
            Assert.Contains(offered, e => e.GetProperty("name").GetString() == $"{prefix}Hype" && e.GetProperty("usable").GetBoolean());
            Assert.Contains(offered, e => e.GetProperty("name").GetString() == $"{prefix}Gold" && !e.GetProperty("usable").GetBoolean() && e.GetProperty("sponsorOnly").GetBoolean());
        }

        var own = (await owner.DataAsync(Available, new { c = account.Id })).GetProperty("availableEmotes").EnumerateArray().ToList();
        Assert.Contains(own, e => e.GetProperty("name").GetString() == $"{prefix}Gold" && e.GetProperty("usable").GetBoolean());

        // The owner takes the perk to another channel's picker (the open one stays home).
        var elsewhere = await fixture.CreateClient().RegisterAsync();
        var abroad = (await owner.DataAsync(Available, new { c = elsewhere.Id })).GetProperty("availableEmotes").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Contains($"{prefix}Gold", abroad);
        Assert.DoesNotContain($"{prefix}Hype", abroad);

        // Used in chat over GraphQL: the fragment carries the emote and its sizes.
        var sent = (await viewer.DataAsync(
            "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { fragments { kind text imageUrl emote { id channelId animated images { size url } } } } }",
            new { c = account.Id, t = $"hi :{prefix}Hype: :{prefix}Gold:" })).GetProperty("sendChatMessage").GetProperty("fragments").EnumerateArray().ToList();
        var fragment = Assert.Single(sent, f => f.GetProperty("kind").GetString() == "EMOTE");
        Assert.Equal(emote.GetProperty("id").GetString(), fragment.GetProperty("emote").GetProperty("id").GetString());
        Assert.Equal(3, fragment.GetProperty("emote").GetProperty("images").GetArrayLength());

        // Managed: renamed, made sponsor-only, deleted.
        var id = emote.GetProperty("id").GetString();
        var renamed = (await owner.DataAsync($"mutation($c: ID!, $e: ID!, $n: String!) {{ renameEmote(channelId: $c, emoteId: $e, name: $n) {{ {EmoteFields} }} }}", new { c = account.Id, e = id, n = "Party" }))
            .GetProperty("renameEmote");
        Assert.Equal($":{prefix}Party:", renamed.GetProperty("code").GetString());
        Assert.True((await owner.DataAsync("mutation($c: ID!, $e: ID!) { setEmoteSponsorOnly(channelId: $c, emoteId: $e, sponsorOnly: true) { sponsorOnly } }", new { c = account.Id, e = id }))
            .GetProperty("setEmoteSponsorOnly").GetProperty("sponsorOnly").GetBoolean());
        Assert.True((await owner.DataAsync("mutation($c: ID!, $e: ID!) { deleteEmote(channelId: $c, emoteId: $e) }", new { c = account.Id, e = id })).GetProperty("deleteEmote").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(renamed.GetProperty("imageUrl").GetString())).StatusCode);
        Assert.Equal([$"{prefix}Gold"], (await owner.DataAsync("query($c: ID!) { channelEmotes(channelId: $c) { name } }", new { c = account.Id }))
            .GetProperty("channelEmotes").EnumerateArray().Select(e => e.GetProperty("name").GetString()));

        var limits = (await fixture.CreateClient().DataAsync("{ emoteLimits { maxEmotes maxAnimated maxUploadBytes sizes minSide prefixMinLength nameMaxLength } }")).GetProperty("emoteLimits");
        Assert.Equal(50, limits.GetProperty("maxEmotes").GetInt32());
        Assert.Equal([28, 56, 112], limits.GetProperty("sizes").EnumerateArray().Select(s => s.GetInt32()));
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_stable_codes_and_fields()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        var other = await fixture.CreateClient().RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var good = TestImages.Png(64, 64);

        AssertRefused(await UploadAsync(http, null, good, "Hype"), HttpStatusCode.Unauthorized, "UNAUTHENTICATED", null);
        AssertRefused(await UploadAsync(http, account.Token, "not an image at all"u8.ToArray(), "Hype"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "file");
        AssertRefused(await UploadAsync(http, account.Token, TestImages.Bmp(64, 64), "Hype"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "file");
        AssertRefused(await UploadAsync(http, account.Token, TestImages.ForgedPng(30000, 30000), "Hype"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "file");
        AssertRefused(await UploadAsync(http, account.Token, TestImages.Png(16, 16), "Hype"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "file");
        AssertRefused(await UploadAsync(http, account.Token, new byte[2 * 1024 * 1024], "Hype"), HttpStatusCode.RequestEntityTooLarge, "BAD_USER_INPUT", "file");
        AssertRefused(await UploadAsync(http, account.Token, good, "hype"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "name");
        AssertRefused(await UploadAsync(http, account.Token, good, "Hype<script>"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "name");
        AssertRefused(await UploadAsync(http, account.Token, good, null), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "name");
        AssertRefused(await UploadAsync(http, account.Token, good, "Hype", sponsorOnly: "maybe"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "sponsorOnly");
        AssertRefused(await UploadAsync(http, account.Token, good, "Hype", channelId: "not-an-id"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "channelId");
        AssertRefused(await UploadAsync(http, account.Token, good, "Hype", channelId: other.Id.ToString()), HttpStatusCode.Forbidden, "FORBIDDEN", null);

        using var notAForm = new HttpRequestMessage(HttpMethod.Post, "/media/emote") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        notAForm.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        using var answer = await http.SendAsync(notAForm);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.StatusCode);

        // Nothing was added by any of them; a good one still goes through, and its name is then taken.
        Assert.Equal(0, (await fixture.CreateClient().DataAsync("query($c: ID!) { channelEmotes(channelId: $c) { id } }", new { c = account.Id })).GetProperty("channelEmotes").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(http, account.Token, good, "Hype", channelId: account.Id.ToString())).Status);
        AssertRefused(await UploadAsync(http, account.Token, good, "HYPE"), HttpStatusCode.BadRequest, "BAD_USER_INPUT", "name");
    }

    [Fact]
    public async Task GraphQL_refusals_have_stable_codes()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var stranger = fixture.CreateClient();
        await stranger.RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var id = (await UploadAsync(http, account.Token, TestImages.Png(64, 64), "Hype")).Json.GetProperty("emote").GetProperty("id").GetString();
        const string SetPrefix = "mutation($c: ID!, $p: String!) { setEmotePrefix(channelId: $c, prefix: $p) }";
        const string Rename = "mutation($c: ID!, $e: ID!, $n: String!) { renameEmote(channelId: $c, emoteId: $e, name: $n) { id } }";
        const string Delete = "mutation($c: ID!, $e: ID!) { deleteEmote(channelId: $c, emoteId: $e) }";

        (await fixture.CreateClient().SendAsync(SetPrefix, new { c = account.Id, p = "abcdef" })).AssertError("UNAUTHENTICATED");
        (await stranger.SendAsync(SetPrefix, new { c = account.Id, p = "abcdef" })).AssertError("FORBIDDEN");
        var bad = await owner.SendAsync(SetPrefix, new { c = account.Id, p = "WG!" });
        bad.AssertError("BAD_USER_INPUT");
        Assert.Equal("prefix", bad.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        (await owner.SendAsync(SetPrefix, new { c = "nope", p = "abcdef" })).AssertError("BAD_USER_INPUT");

        (await stranger.SendAsync(Rename, new { c = account.Id, e = id, n = "Party" })).AssertError("FORBIDDEN");
        (await owner.SendAsync(Rename, new { c = account.Id, e = Guid.NewGuid(), n = "Party" })).AssertError("NOT_FOUND");
        var badName = await owner.SendAsync(Rename, new { c = account.Id, e = id, n = "party time" });
        badName.AssertError("BAD_USER_INPUT");
        Assert.Equal("name", badName.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        (await owner.SendAsync(Rename, new { c = account.Id, e = "x", n = "Party" })).AssertError("BAD_USER_INPUT");

        (await fixture.CreateClient().SendAsync(Delete, new { c = account.Id, e = id })).AssertError("UNAUTHENTICATED");
        (await stranger.SendAsync(Delete, new { c = account.Id, e = id })).AssertError("FORBIDDEN");
        (await stranger.SendAsync("mutation($c: ID!, $e: ID!) { setEmoteSponsorOnly(channelId: $c, emoteId: $e, sponsorOnly: true) { id } }", new { c = account.Id, e = id })).AssertError("FORBIDDEN");
        (await owner.SendAsync("query($c: ID!) { channelEmotes(channelId: $c) { id } }", new { c = Guid.NewGuid() })).AssertError("NOT_FOUND");
        (await owner.SendAsync(Available, new { c = Guid.NewGuid() })).AssertError("NOT_FOUND");
        Assert.True((await owner.DataAsync(Delete, new { c = account.Id, e = id })).GetProperty("deleteEmote").GetBoolean());
        (await owner.SendAsync(Delete, new { c = account.Id, e = id })).AssertError("NOT_FOUND");
    }

    /// <summary>Uploads as the dashboard does; a null name or token leaves that part out.</summary>
    internal static async Task<(HttpStatusCode Status, JsonElement Json)> UploadAsync(
        HttpClient http, string? token, byte[] bytes, string? name, string? sponsorOnly = null, string? channelId = null)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "emote.bin" } };
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        if (sponsorOnly is not null)
        {
            form.Add(new StringContent(sponsorOnly), "sponsorOnly");
        }

        if (channelId is not null)
        {
            form.Add(new StringContent(channelId), "channelId");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/media/emote") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    private static void AssertRefused((HttpStatusCode Status, JsonElement Json) answer, HttpStatusCode status, string code, string? field)
    {
        Assert.True(answer.Status == status, $"Expected {status}, got {answer.Status}: {answer.Json}");
        Assert.Equal(code, answer.Json.GetProperty("code").GetString());
        if (field is not null)
        {
            Assert.Equal(field, answer.Json.GetProperty("field").GetString());
        }
    }
}
