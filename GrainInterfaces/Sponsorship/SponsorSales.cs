namespace WgStream.GrainInterfaces.Sponsorship;

/// <summary>An amount of money in minor units (cents, kopiykas) of a lower-case ISO 4217 currency.</summary>
[GenerateSerializer, Immutable]
public sealed record MoneyAmount(long Amount, string Currency);

/// <summary>
/// A channel's successful payments over a span: <see cref="NewSponsors"/> counts completed checkouts
/// (a sponsorship starting), <see cref="Revenue"/> every payment (checkouts and renewals) by currency.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SponsorSales(int NewSponsors, IReadOnlyList<MoneyAmount> Revenue)
{
    public static readonly SponsorSales None = new(0, []);

    public bool IsEmpty => NewSponsors == 0 && Revenue.Count == 0;
}
