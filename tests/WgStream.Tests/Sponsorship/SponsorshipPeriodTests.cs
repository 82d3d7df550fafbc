using WgStream.Grains.Sponsorship;

namespace WgStream.Tests.Sponsorship;

/// <summary>Period arithmetic and settings validation, without a cluster.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class SponsorshipPeriodTests
{
    [Fact]
    public void Monthly_periods_count_whole_months_from_the_anchor()
    {
        var options = new SponsorshipOptions();
        var anchor = new DateTimeOffset(2028, 1, 31, 18, 30, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2028, 2, 29, 18, 30, 0, TimeSpan.Zero), options.PeriodEnd(anchor, 1));
        Assert.Equal(new DateTimeOffset(2028, 3, 31, 18, 30, 0, TimeSpan.Zero), options.PeriodEnd(anchor, 2));
        Assert.Equal(new DateTimeOffset(2029, 1, 31, 18, 30, 0, TimeSpan.Zero), options.PeriodEnd(anchor, 12));
        // A Saturday start still ends a month later, on whatever weekday that is.
        var saturday = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), options.PeriodEnd(saturday, 1));

        var fixedPeriod = new SponsorshipOptions { FixedPeriod = TimeSpan.FromSeconds(3) };
        Assert.Equal(anchor.AddSeconds(6), fixedPeriod.PeriodEnd(anchor, 2));
        Assert.True(options.IsValid(out _));
        Assert.False(new SponsorshipOptions { PriceMin = 500, PriceMax = 100 }.IsValid(out _));
        Assert.False(new SponsorshipOptions { PriceMax = 3_000_000_000 }.IsValid(out _));
        Assert.False(new SponsorshipOptions { Currencies = "usd,dollars" }.IsValid(out _));
        Assert.False(new SponsorshipOptions { CheckoutLifetime = TimeSpan.FromMinutes(5) }.IsValid(out _));
    }
}
