namespace WgStream.Grains.Accounts;

/// <summary>Bound from the <c>SiteBans</c> section.</summary>
public sealed class SiteBanOptions
{
    public const string Section = "SiteBans";

    /// <summary>
    /// How often each silo re-reads the banned accounts from PostgreSQL (the <c>site-bans</c> stream
    /// tells it of each change at once; this catches an event it missed) and finishes bans and
    /// unbans whose effects were cut short. Zero turns both off (tests that want to see a ban left
    /// half done).
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many cut-short bans one sweep finishes at most; the rest wait for the next.</summary>
    public int SweepBatchSize { get; set; } = 100;
}
