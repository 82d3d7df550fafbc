using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

/// <summary>With eight-second periods: the expiry reminder (stored in PostgreSQL through our reminder table) ends sponsorships.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SponsorshipExpiryTests(ShortPeriodSponsorshipFixture fixture) : IClassFixture<ShortPeriodSponsorshipFixture>
{
    [Fact]
    public async Task A_sponsorship_expires_when_its_period_ends_and_the_sponsor_badge_goes()
    {
        var (streamer, fan, checkout) = await fixture.CheckoutAsync();
        await fixture.PayAsync(checkout);
        var paidAt = DateTimeOffset.UtcNow;

        var sponsorship = (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value;
        Assert.Equal("ACTIVE", sponsorship.GetProperty("status").GetString());
        Assert.InRange(sponsorship.GetProperty("expiresAt").GetDateTimeOffset() - paidAt, TimeSpan.Zero, ShortPeriodSponsorshipFixture.Period);
        Assert.Equal([checkout.PayerId.ToString()], await SponsorshipFixture.SponsorIdsAsync(streamer, checkout.ChannelId));
        Assert.Equal(1, await fixture.ScalarAsync<int>("SELECT count(*)::int FROM orleans_reminders WHERE reminder_name = 'sponsorship-expiry'"));

        // The table itself says EXPIRED only once the reminder has fired.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (await fixture.ScalarAsync<string>("SELECT status FROM sponsorships WHERE payer_id = @p", ("p", checkout.PayerId)) != "EXPIRED")
        {
            Assert.True(DateTime.UtcNow < deadline, "The sponsorship was not expired by its reminder.");
            await Task.Delay(200);
        }

        Assert.True(DateTimeOffset.UtcNow - paidAt >= TimeSpan.FromSeconds(1));
        Assert.Empty(await SponsorshipFixture.SponsorIdsAsync(streamer, checkout.ChannelId));
        Assert.Equal("EXPIRED", (await SponsorshipFixture.MySponsorshipAsync(fan, checkout.ChannelId))!.Value.GetProperty("status").GetString());
        var badges = (await fan.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"still here\") { badges } }", new { c = checkout.ChannelId }))
            .GetProperty("sendChatMessage").GetProperty("badges");
        Assert.Equal(0, badges.GetArrayLength());

        // No sponsors left: the reminder is unregistered rather than ticking on.
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await fixture.ScalarAsync<int>("SELECT count(*)::int FROM orleans_reminders WHERE reminder_name = 'sponsorship-expiry'") != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The expiry reminder was not removed.");
            await Task.Delay(200);
        }
    }
}
