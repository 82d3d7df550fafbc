using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>
/// One chat shape on both transports: what the SignalR hub sends is, field by field, what GraphQL
/// answers for the same message and settings (the schema is the contract; the web client's types
/// are generated from it).
/// </summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatHubPayloadTests(ApiFixture fixture)
{
    private const string MessageFields = "id seq channelId senderId username color badges sentAt text fragments { kind text imageUrl userId emote { id channelId animated images { size url } } } reply { messageId senderId username text }";
    private const string SettingsFields = "enabled slowModeSeconds followersOnly followersOnlyMinutes emoteOnly sponsorsOnly autoModLevel holdLinks";

    [Fact]
    public async Task Hub_messages_and_settings_have_the_schema_shape_of_their_GraphQL_twins()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var first = (await owner.DataAsync("mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }", new { c = channel.Id, t = "history line :wgLove: 👋" }))
            .GetProperty("sendChatMessage").GetProperty("id").GetString();

        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat")).Build();
        var live = Channel.CreateUnbounded<JsonElement>();
        hub.On<JsonElement>("message", m => live.Writer.TryWrite(m));
        await hub.StartAsync();
        var joined = await hub.InvokeAsync<JsonElement>("JoinChannel", channel.Id.ToString());
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var upload = await EmoteApiTests.UploadAsync(http, channel.Token, Media.TestImages.Png(64, 64), "Wave");
        var code = upload.Json.GetProperty("emote").GetProperty("code").GetString();
        // A reply with a mention: the quote and the mention fragment have one shape on both transports too.
        await owner.DataAsync(
            "mutation($c: ID!, $t: String!, $r: ID) { sendChatMessage(channelId: $c, text: $t, replyTo: $r) { id } }",
            new { c = channel.Id, t = $"live line :wgLove: {code} @{channel.Username}", r = first });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        JsonElement liveMessage;
        do
        {
            liveMessage = await live.Reader.ReadAsync(timeout.Token);
        }
        while (liveMessage.GetProperty("text").GetString() != $"live line :wgLove: {code} @{channel.Username}");

        var data = await owner.DataAsync($"query($c: ID!) {{ chatMessages(channelId: $c, last: 5) {{ messages {{ {MessageFields} }} }} }}", new { c = channel.Id });
        var settings = await owner.DataAsync($"query($c: ID!) {{ chatRoom(channelId: $c) {{ settings {{ {SettingsFields} }} }} }}", new { c = channel.Id });
        var viaGraphQL = data.GetProperty("chatMessages").GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(2, viaGraphQL.Count);

        AssertSameShape(viaGraphQL[0], joined.GetProperty("messages")[0], "history");
        AssertSameShape(viaGraphQL[1], liveMessage, "live");
        AssertSameShape(settings.GetProperty("chatRoom").GetProperty("settings"), joined.GetProperty("settings"), "settings");
        Assert.Equal(JsonValueKind.String, liveMessage.GetProperty("seq").ValueKind);
        Assert.Contains(liveMessage.GetProperty("fragments").EnumerateArray(), f => f.GetProperty("kind").GetString() == "EMOTE");
        // A channel's emote carries its sizes on both transports.
        Assert.Contains(liveMessage.GetProperty("fragments").EnumerateArray(), f => f.GetProperty("text").GetString() == code && f.GetProperty("emote").GetProperty("images").GetArrayLength() == 3);
        Assert.Contains(liveMessage.GetProperty("fragments").EnumerateArray(), f => f.GetProperty("kind").GetString() == "MENTION" && f.GetProperty("userId").GetString() == channel.Id.ToString());
        Assert.Equal(first, liveMessage.GetProperty("reply").GetProperty("messageId").GetString());
    }

    /// <summary>Same property names, same JSON kinds, same values (instants compared as instants: the two serializers may write different precision).</summary>
    private static void AssertSameShape(JsonElement graphQL, JsonElement hub, string path)
    {
        Assert.True(graphQL.ValueKind == hub.ValueKind, $"{path}: GraphQL has {graphQL.ValueKind}, the hub {hub.ValueKind} ({hub})");
        switch (graphQL.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.Equal(
                    graphQL.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
                    hub.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
                foreach (var property in graphQL.EnumerateObject())
                {
                    AssertSameShape(property.Value, hub.GetProperty(property.Name), $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.Equal(graphQL.GetArrayLength(), hub.GetArrayLength());
                for (var i = 0; i < graphQL.GetArrayLength(); i++)
                {
                    AssertSameShape(graphQL[i], hub[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String when path.EndsWith(".sentAt", StringComparison.Ordinal):
                Assert.Equal(
                    DateTimeOffset.Parse(graphQL.GetString()!, CultureInfo.InvariantCulture),
                    DateTimeOffset.Parse(hub.GetString()!, CultureInfo.InvariantCulture));
                break;
            default:
                Assert.True(graphQL.GetRawText() == hub.GetRawText(), $"{path}: GraphQL says {graphQL.GetRawText()}, the hub {hub.GetRawText()}");
                break;
        }
    }
}
