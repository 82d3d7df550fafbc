using System.Net;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Sponsorship.StripeWebhooks;

namespace WgStream.Tests.Sponsorship;

/// <summary>Automatic verification and the chat badges it and sponsorships bring.</summary>
[Collection(SponsorshipCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RewardsAndBadgesTests(SponsorshipFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { badges } }";

    [Fact]
    public async Task A_channel_is_verified_at_the_follower_threshold_and_its_owner_chats_with_the_verified_badge()
    {
        var streamer = fixture.CreateClient();
        var account = await streamer.RegisterAsync();
        for (var i = 1; i <= SponsorshipFixture.VerifyAtFollowers; i++)
        {
            Assert.False(await VerifiedAsync(account.Username));
            var fan = fixture.CreateClient();
            await fan.RegisterAsync();
            await fan.DataAsync("mutation($c: ID!) { follow(channelId: $c) { id } }", new { c = account.Id });
        }

        Assert.True(await VerifiedAsync(account.Username));
        var listed = (await fixture.CreateClient().DataAsync("query($q: String!) { searchChannels(query: $q) { edges { node { username verified } } } }", new { q = account.Username }))
            .GetProperty("searchChannels").GetProperty("edges")[0].GetProperty("node");
        Assert.True(listed.GetProperty("verified").GetBoolean());

        var host = fixture.CreateClient();
        var room = await host.RegisterAsync();
        Assert.Equal(["verified"], await BadgesAsync(streamer, room.Id));
        Assert.Equal(["broadcaster", "verified"], await BadgesAsync(streamer, account.Id));
        var nobody = fixture.CreateClient();
        await nobody.RegisterAsync();
        Assert.Empty(await BadgesAsync(nobody, room.Id));
        Assert.Equal(["broadcaster"], await BadgesAsync(host, room.Id));
    }

    [Fact]
    public async Task Sponsors_chat_with_the_sponsor_badge_and_in_sponsors_only_mode_until_refunded_and_the_first_sponsorship_verifies_the_channel()
    {
        var (streamer, fan, checkout) = await fixture.CheckoutAsync();
        Assert.Empty(await BadgesAsync(fan, checkout.ChannelId));
        await streamer.DataAsync("mutation($c: ID!) { updateChatSettings(channelId: $c, input: { sponsorsOnly: true }) { sponsorsOnly } }", new { c = checkout.ChannelId });
        (await fan.SendAsync(Send, new { c = checkout.ChannelId, t = "not yet" })).AssertError("FORBIDDEN");
        await Task.Delay(TimeSpan.FromMilliseconds(150)); // let the "not a sponsor" answer age out of the badge cache
        var channel = (await streamer.DataAsync("{ me { username } }")).GetProperty("me").GetProperty("username").GetString()!;
        Assert.False(await VerifiedAsync(channel));

        var invoice = NewId("in");
        await fixture.PayAsync(checkout, invoice);
        Assert.True(await VerifiedAsync(channel));
        await Task.Delay(TimeSpan.FromMilliseconds(150)); // the room's badge cache (100 ms in these tests)
        Assert.Equal(["sponsor"], await BadgesAsync(fan, checkout.ChannelId)); // and sponsors-only lets them in

        var paymentIntent = NewId("pi");
        fixture.Stripe.InvoiceOfPaymentIntent[paymentIntent] = invoice;
        Assert.Equal(HttpStatusCode.OK, await DeliverSignedAsync(fixture.Http, Event("charge.refunded", Charge(NewId("ch"), paymentIntent, 500, 500))));
        await Task.Delay(TimeSpan.FromMilliseconds(150));
        (await fan.SendAsync(Send, new { c = checkout.ChannelId, t = "refunded" })).AssertError("FORBIDDEN");
        await streamer.DataAsync("mutation($c: ID!) { updateChatSettings(channelId: $c, input: { sponsorsOnly: false }) { sponsorsOnly } }", new { c = checkout.ChannelId });
        Assert.Empty(await BadgesAsync(fan, checkout.ChannelId));
        Assert.True(await VerifiedAsync(channel));
    }

    private async Task<bool> VerifiedAsync(string username) =>
        (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { verified } }", new { u = username }))
            .GetProperty("channel").GetProperty("verified").GetBoolean();

    private static async Task<List<string?>> BadgesAsync(GraphQLClient sender, Guid channelId) =>
        (await sender.DataAsync(Send, new { c = channelId, t = $"hello {Guid.NewGuid():N}" })).GetProperty("sendChatMessage")
            .GetProperty("badges").EnumerateArray().Select(b => b.GetString()).ToList();
}
