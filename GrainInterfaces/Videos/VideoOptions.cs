namespace WgStream.GrainInterfaces.Videos;

/// <summary>Bound from the <c>Videos</c> section: recording broadcasts as past broadcasts (VOD) and how long they are kept.</summary>
public sealed class VideoOptions
{
    public const string Section = "Videos";

    /// <summary>Whether this server records broadcasts at all; each channel can still switch its own recording off.</summary>
    public bool Record { get; set; } = true;

    /// <summary>
    /// The length of a recorded segment (cut at the encoder's keyframes, so segments are at least one
    /// keyframe interval long). Longer than live HLS's 1 s: a VOD is not watched at the live edge, and
    /// fewer objects cost less to store and to list.
    /// </summary>
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>How long a past broadcast is kept, in days from its start; 0 keeps them until their owner deletes them.</summary>
    public int RetentionDays { get; set; } = 60;

    /// <summary>Where an Api node's recorder keeps segments between ffmpeg writing them and their upload to the media store.</summary>
    public string SpoolPath { get; set; } = Path.Combine(Path.GetTempPath(), "wg-stream-recordings");

    /// <summary>How often a silo looks for expired videos and for recordings whose recorder went away.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A recording whose broadcast ended this long ago and is still open lost its recorder (its Api
    /// node stopped): the sweep completes it with the segments that were uploaded.
    /// </summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<string> Problems()
    {
        if (SegmentDuration < TimeSpan.FromSeconds(1) || SegmentDuration > TimeSpan.FromSeconds(30))
        {
            yield return "Videos:SegmentDuration must be between 1 and 30 seconds.";
        }

        if (RetentionDays < 0)
        {
            yield return "Videos:RetentionDays must be 0 (keep) or a number of days.";
        }

        if (SweepInterval <= TimeSpan.Zero)
        {
            yield return "Videos:SweepInterval must be positive.";
        }

        if (string.IsNullOrWhiteSpace(SpoolPath))
        {
            yield return "Videos:SpoolPath is required.";
        }
    }
}
