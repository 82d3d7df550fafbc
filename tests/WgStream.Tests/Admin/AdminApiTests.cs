using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;
using WgStream.Tests.Operations;

namespace WgStream.Tests.Admin;

/// <summary>
/// The operators' GraphQL over the real Api: who may call each operation, the codes for bad input,
/// and a site ban's effects as clients see them (sign-in refused with ACCOUNT_BANNED, sockets closed).
/// </summary>
[Collection(AdminCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AdminApiTests(AdminFixture fixture)
{
    private const string Ban = "mutation($u: ID!, $r: String!) { banUserSitewide(userId: $u, reason: $r) { userId reason bannedAt user { username } bannedBy { username } } }";
    private const string Unban = "mutation($u: ID!) { unbanUserSitewide(userId: $u) }";
    private const string Login = "mutation($i: LoginInput!) { login(input: $i) { token } }";

    private GraphQLClient Client(string? token)
    {
        var client = fixture.CreateClient();
        client.Token = token;
        return client;
    }

    private GraphQLClient Operator => Client(fixture.WithTwoFactor.Account.Token);

    [Fact]
    public async Task Only_an_operator_with_2FA_may_call_the_admin_operations_and_me_says_which_one_is()
    {
        var user = fixture.CreateClient();
        var account = await user.RegisterAsync();
        var listedWithout2Fa = Client(fixture.WithoutTwoFactor.Token);
        string[] operations =
        [
            "{ siteBans { edges { node { userId } } } }",
            "{ adminLiveChannels { edges { node { channel { username } } } } }",
            "{ siteBanAudit { edges { node { action } } } }",
            "mutation { createCategory(slug: \"never-made\", nameEn: \"Never\") { slug } }",
            "mutation { reorderCategories(slugs: []) { slug } }",
        ];
        foreach (var operation in operations)
        {
            (await fixture.CreateClient().SendAsync(operation)).AssertError("UNAUTHENTICATED");
            (await user.SendAsync(operation)).AssertError("FORBIDDEN");
            var refused = await listedWithout2Fa.SendAsync(operation);
            refused.AssertError("FORBIDDEN");
            Assert.Equal("totp", refused.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        }

        (await user.SendAsync(Ban, new { u = account.Id, r = "x" })).AssertError("FORBIDDEN");
        (await listedWithout2Fa.SendAsync(Unban, new { u = account.Id })).AssertError("FORBIDDEN");

        const string Me = "{ me { isOperator operatorAccess } }";
        Assert.Equal("NONE", (await user.DataAsync(Me)).GetProperty("me").GetProperty("operatorAccess").GetString());
        Assert.Equal("TWO_FACTOR_REQUIRED", (await listedWithout2Fa.DataAsync(Me)).GetProperty("me").GetProperty("operatorAccess").GetString());
        var granted = (await Operator.DataAsync(Me)).GetProperty("me");
        Assert.Equal(("GRANTED", true), (granted.GetProperty("operatorAccess").GetString(), granted.GetProperty("isOperator").GetBoolean()));
    }

    [Fact]
    public async Task Bad_ban_input_has_stable_codes_and_fields()
    {
        var target = await fixture.CreateClient().RegisterAsync();
        AssertField(await Operator.SendAsync(Ban, new { u = fixture.WithTwoFactor.Account.Id, r = "me" }), "BAD_USER_INPUT", "userId");
        AssertField(await Operator.SendAsync(Ban, new { u = fixture.WithoutTwoFactor.Id, r = "another operator" }), "BAD_USER_INPUT", "userId");
        AssertField(await Operator.SendAsync(Ban, new { u = target.Id, r = "   " }), "BAD_USER_INPUT", "reason");
        AssertField(await Operator.SendAsync(Ban, new { u = target.Id, r = new string('x', 501) }), "BAD_USER_INPUT", "reason");
        AssertField(await Operator.SendAsync(Ban, new { u = "not-an-id", r = "x" }), "BAD_USER_INPUT", "userId");
        (await Operator.SendAsync(Ban, new { u = Guid.NewGuid(), r = "x" })).AssertError("NOT_FOUND");
        (await Operator.SendAsync(Unban, new { u = target.Id })).AssertError("NOT_FOUND");
    }

    [Fact]
    public async Task A_banned_account_has_its_sockets_closed_cannot_sign_in_and_can_again_after_the_unban()
    {
        var victim = fixture.CreateClient();
        var account = await victim.RegisterAsync();
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync(account.Token);
        await ws.SendAsync(new { id = "s", type = "subscribe", payload = new { query = "subscription { securityEvents { kind } }" } });
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        var ban = (await Operator.DataAsync(Ban, new { u = account.Id, r = "ban evasion" })).GetProperty("banUserSitewide");
        Assert.Equal(("ban evasion", account.Username, fixture.WithTwoFactor.Account.Username), (ban.GetProperty("reason").GetString(), ban.GetProperty("user").GetProperty("username").GetString(), ban.GetProperty("bannedBy").GetProperty("username").GetString()));

        Assert.Equal(4403, await ws.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        (await victim.SendAsync("{ mySessions { id } }")).AssertError("UNAUTHENTICATED");
        var refused = await fixture.CreateClient().SendAsync(Login, new { i = new { login = account.Username, password = account.Password } });
        refused.AssertError("ACCOUNT_BANNED");
        Assert.Contains("ban evasion", refused.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);

        var listed = (await Operator.DataAsync("{ siteBans(first: 50) { edges { node { userId } } } }")).GetProperty("siteBans").GetProperty("edges");
        Assert.Contains(listed.EnumerateArray(), e => e.GetProperty("node").GetProperty("userId").GetString() == account.Id.ToString());

        Assert.True((await Operator.DataAsync(Unban, new { u = account.Id })).GetProperty("unbanUserSitewide").GetBoolean());
        var token = (await fixture.CreateClient().DataAsync(Login, new { i = new { login = account.Username, password = account.Password } })).GetProperty("login").GetProperty("token").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        var audit = (await Operator.DataAsync("query($u: ID!) { siteBanAudit(userId: $u) { edges { node { action reason actor { username } } } } }", new { u = account.Id }))
            .GetProperty("siteBanAudit").GetProperty("edges");
        Assert.Equal(["UNBAN", "BAN"], audit.EnumerateArray().Select(e => e.GetProperty("node").GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Operators_create_rename_and_reorder_categories_and_upload_their_image()
    {
        var slug = $"admin-{Guid.NewGuid():N}"[..18];
        AssertField(await Operator.SendAsync("mutation { createCategory(slug: \"Not A Slug\", nameEn: \"x\") { slug } }"), "BAD_USER_INPUT", "slug");
        AssertField(await Operator.SendAsync("mutation { createCategory(slug: \"games\", nameEn: \"Games\") { slug } }"), "BAD_USER_INPUT", "slug");
        AssertField(await Operator.SendAsync("mutation($s: String!) { createCategory(slug: $s, nameEn: \"\") { slug } }", new { s = slug }), "BAD_USER_INPUT", "nameEn");
        var created = (await Operator.DataAsync("mutation($s: String!) { createCategory(slug: $s, nameEn: \"Retro\", nameUk: \"Ретро\") { slug name nameUk } }", new { s = slug })).GetProperty("createCategory");
        Assert.Equal(("Retro", "Ретро"), (created.GetProperty("name").GetString(), created.GetProperty("nameUk").GetString()));
        (await Operator.SendAsync("mutation { renameCategory(slug: \"no-such-one\", nameEn: \"x\") { slug } }")).AssertError("NOT_FOUND");
        Assert.Equal("Retro games", (await Operator.DataAsync("mutation($s: String!) { renameCategory(slug: $s, nameEn: \"Retro games\") { nameEn } }", new { s = slug })).GetProperty("renameCategory").GetProperty("nameEn").GetString());

        var slugs = (await Operator.DataAsync("{ categories { slug } }")).GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("slug").GetString()!).ToList();
        Assert.Equal(slug, slugs[^1]);
        (await Operator.SendAsync("mutation($s: [String!]!) { reorderCategories(slugs: $s) { slug } }", new { s = slugs.Skip(1).ToList() })).AssertError("CONFLICT");
        var moved = slugs.Where(s => s != slug).Prepend(slug).ToList();
        Assert.Equal(slug, (await Operator.DataAsync("mutation($s: [String!]!) { reorderCategories(slugs: $s) { slug } }", new { s = moved })).GetProperty("reorderCategories")[0].GetProperty("slug").GetString());
        await Operator.DataAsync("mutation($s: [String!]!) { reorderCategories(slugs: $s) { slug } }", new { s = slugs });

        var png = TestImages.Encode(SKEncodedImageFormat.Png, 300, 400, TestImages.Blue);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(slug, png, (await fixture.CreateClient().RegisterAsync()).Token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync("no-such-one", png, fixture.WithTwoFactor.Account.Token)).Status);
        var (status, body) = await UploadAsync(slug, png, fixture.WithTwoFactor.Account.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        var url = body.GetProperty("url").GetString();
        Assert.EndsWith("-285x380.webp", url, StringComparison.Ordinal);
        Assert.Equal(url, (await fixture.CreateClient().DataAsync("query($s: String!) { category(slug: $s) { imageUrl } }", new { s = slug })).GetProperty("category").GetProperty("imageUrl").GetString());
        var removed = (await Operator.DataAsync("mutation($s: String!) { removeCategoryImage(slug: $s) { imageUrl } }", new { s = slug })).GetProperty("removeCategoryImage");
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("imageUrl").ValueKind);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string slug, byte[] image, string token)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "art.png");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/media/category/{slug}") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertField(GraphQLResponse response, string code, string field)
    {
        response.AssertError(code);
        Assert.Equal(field, response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }
}
