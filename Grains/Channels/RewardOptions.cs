namespace WgStream.Grains.Channels;

/// <summary>Bound from the <c>Rewards</c> section: when a channel is verified automatically.</summary>
public sealed class RewardOptions
{
    public const string Section = "Rewards";

    /// <summary>Verify a channel once it has this many followers; 0 turns the rule off.</summary>
    public int VerifyAtFollowers { get; set; } = 10;

    /// <summary>Verify a channel when its first sponsorship becomes active.</summary>
    public bool VerifyOnFirstSponsorship { get; set; } = true;
}
