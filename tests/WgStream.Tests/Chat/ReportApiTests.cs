using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>Reports over GraphQL: who may file, read and resolve them, and the codes for everything else.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ReportApiTests(ApiFixture fixture)
{
    private const string ReportMessage = "mutation($c: ID!, $m: ID!, $u: ID!, $r: String!) { reportMessage(channelId: $c, messageId: $m, userId: $u, reason: $r) { id reason messageText targetUser { username } reporter { username } } }";

    [Fact]
    public async Task A_viewer_reports_a_message_only_the_channels_moderators_see_and_resolve_it_and_only_operators_see_all()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        var troll = fixture.CreateClient();
        var trollAccount = await troll.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();
        var message = (await troll.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"you all stink\") { id } }", new { c = channel.Id }))
            .GetProperty("sendChatMessage").GetProperty("id").GetString();

        (await fixture.CreateClient().SendAsync(ReportMessage, new { c = channel.Id, m = message, u = trollAccount.Id, r = "rude" })).AssertError("UNAUTHENTICATED");
        (await viewer.SendAsync(ReportMessage, new { c = channel.Id, m = message, u = trollAccount.Id, r = new string('x', 501) })).AssertError("BAD_USER_INPUT");
        var report = (await viewer.DataAsync(ReportMessage, new { c = channel.Id, m = message, u = trollAccount.Id, r = "rude" })).GetProperty("reportMessage");
        Assert.Equal(("you all stink", trollAccount.Username, viewerAccount.Username), (report.GetProperty("messageText").GetString(), report.GetProperty("targetUser").GetProperty("username").GetString(), report.GetProperty("reporter").GetProperty("username").GetString()));
        var id = report.GetProperty("id").GetString();

        const string List = "query($c: ID!) { channelReports(channelId: $c) { edges { node { id reason } } } }";
        (await viewer.SendAsync(List, new { c = channel.Id })).AssertError("FORBIDDEN");
        (await viewer.SendAsync("{ allReports { edges { node { id } } } }")).AssertError("FORBIDDEN");
        Assert.Equal(id, (await owner.DataAsync(List, new { c = channel.Id })).GetProperty("channelReports").GetProperty("edges")[0].GetProperty("node").GetProperty("id").GetString());

        const string Resolve = "mutation($id: ID!, $a: ReportAction!) { resolveReport(id: $id, action: $a) { action resolvedAt resolvedBy { username } } }";
        (await viewer.SendAsync(Resolve, new { id, a = "BAN" })).AssertError("FORBIDDEN");
        (await owner.SendAsync(Resolve, new { id = "not-a-number", a = "BAN" })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync(Resolve, new { id = "999999999", a = "BAN" })).AssertError("NOT_FOUND");
        var resolved = (await owner.DataAsync(Resolve, new { id, a = "BAN" })).GetProperty("resolveReport");
        Assert.Equal(("BAN", channel.Username), (resolved.GetProperty("action").GetString(), resolved.GetProperty("resolvedBy").GetProperty("username").GetString()));
        (await owner.SendAsync(Resolve, new { id, a = "DISMISS" })).AssertError("CONFLICT");

        // The ban took effect in the room.
        (await troll.SendAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"hello?\") { id } }", new { c = channel.Id })).AssertError("FORBIDDEN");
    }
}
