namespace WgStream.Grains.Sponsorship;

/// <summary>Bound from the <c>Sponsorship</c> section: what plans may cost and how long a paid period lasts.</summary>
public sealed class SponsorshipOptions
{
    public const string Section = "Sponsorship";

    /// <summary>Lowest plan price, in minor units (100 = 1.00).</summary>
    public long PriceMin { get; set; } = 100;

    /// <summary>Highest plan price, in minor units (100000 = 1,000.00).</summary>
    public long PriceMax { get; set; } = 100_000;

    /// <summary>Comma-separated lower-case ISO 4217 codes plans may be priced in; all two-decimal currencies, so minor units mean cents.</summary>
    public string Currencies { get; set; } = "usd,eur,uah";

    /// <summary>Active sponsorship plans one channel may offer.</summary>
    public int MaxActivePlans { get; set; } = 10;

    /// <summary>A paid period in calendar months (the Stripe price recurs monthly): the n-th period ends at <c>anchor.AddMonths(n)</c>.</summary>
    public int PeriodMonths { get; set; } = 1;

    /// <summary>For tests and demos: a fixed period length instead of calendar months.</summary>
    public TimeSpan? FixedPeriod { get; set; }

    /// <summary>How long a renewing sponsorship stays active past its paid period while Stripe collects the renewal.</summary>
    public TimeSpan RenewalGrace { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a Checkout Session stays open (Stripe accepts 30 minutes to 24 hours).</summary>
    public TimeSpan CheckoutLifetime { get; set; } = TimeSpan.FromHours(1);

    public IReadOnlyList<string> AllowedCurrencies =>
        Currencies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToLowerInvariant()).ToList();

    /// <summary>The end of the <paramref name="periods"/>-th period counted from <paramref name="anchor"/>: whole months from the anchor, never month after month, so a 31st stays the 31st.</summary>
    public DateTimeOffset PeriodEnd(DateTimeOffset anchor, int periods) =>
        FixedPeriod is { } fixedPeriod ? anchor + (fixedPeriod * periods) : anchor.AddMonths(PeriodMonths * periods);

    public bool IsValid(out string problem)
    {
        problem = PriceMin < 1 || PriceMax < PriceMin || PriceMax > int.MaxValue ? "PriceMin must be at least 1, PriceMax at least PriceMin and at most 2147483647 (a GraphQL Int)."
            : AllowedCurrencies.Count == 0 || AllowedCurrencies.Any(c => c.Length != 3 || !c.All(char.IsAsciiLetterLower)) ? "Currencies must list three-letter ISO codes."
            : PeriodMonths < 1 ? "PeriodMonths must be at least 1."
            : FixedPeriod is { } p && p <= TimeSpan.Zero ? "FixedPeriod must be positive."
            : RenewalGrace < TimeSpan.Zero ? "RenewalGrace cannot be negative."
            : CheckoutLifetime < TimeSpan.FromMinutes(30) || CheckoutLifetime > TimeSpan.FromHours(24) ? "CheckoutLifetime must be 30 minutes to 24 hours."
            : string.Empty;
        return problem.Length == 0;
    }
}
