using System.Net;
using WgStream.GrainInterfaces.Channels;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Channels;

/// <summary>
/// <c>/avatars/{userId}</c>: the current small avatar by redirect, or a drawn placeholder that
/// escapes the name; a made-up id gets the placeholder without a channel grain activated for it.
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AvatarEndpointTests(DiscoveryFixture fixture)
{
    [Fact]
    public async Task A_user_without_an_avatar_gets_their_initial_and_one_with_an_avatar_a_redirect_to_it()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        await owner.DataAsync("mutation { updateChannel(input: { displayName: \"<b>Ann\" }) { displayName } }");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.Api.BaseAddress };

        using var placeholder = await http.GetAsync($"/avatars/{account.Id}");
        Assert.Equal(HttpStatusCode.OK, placeholder.StatusCode);
        Assert.Equal("image/svg+xml", placeholder.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(5), placeholder.Headers.CacheControl!.MaxAge);
        var svg = await placeholder.Content.ReadAsStringAsync();
        Assert.Contains(">&lt;</text>", svg, StringComparison.Ordinal); // the first letter, escaped
        Assert.DoesNotContain("<b>", svg, StringComparison.Ordinal);

        var madeUp = Guid.NewGuid();
        using var nobody = await http.GetAsync($"/avatars/{madeUp}");
        Assert.Contains(">?</text>", await nobody.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var management = fixture.Cluster.GetGrain<IManagementGrain>(0);
        Assert.Null(await management.GetActivationAddress(fixture.Cluster.GetGrain<IChannelGrain>(madeUp)));
        Assert.NotNull(await management.GetActivationAddress(fixture.Cluster.GetGrain<IChannelGrain>(account.Id)));
        using var notAnId = await http.GetAsync("/avatars/not-an-id");
        Assert.NotEqual("image/svg+xml", notAnId.Content.Headers.ContentType?.MediaType);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(64, 64)), "file", "me.png" } };
        using var upload = new HttpRequestMessage(HttpMethod.Post, "/media/avatar") { Content = form };
        upload.Headers.Authorization = new("Bearer", account.Token);
        (await http.SendAsync(upload)).EnsureSuccessStatusCode();
        var small = (await owner.DataAsync("query($n: String!) { channel(username: $n) { avatarSmallUrl } }", new { n = account.Username }))
            .GetProperty("channel").GetProperty("avatarSmallUrl").GetString();
        using var redirect = await http.GetAsync($"/avatars/{account.Id}");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal(small, redirect.Headers.Location!.OriginalString);
    }
}
