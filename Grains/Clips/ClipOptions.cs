using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Clips;

/// <summary>Bound from the <c>Clips</c> section: cutting clips from recorded broadcasts.</summary>
public sealed class ClipOptions
{
    public const string Section = "Clips";

    /// <summary>The shortest clip, in seconds.</summary>
    public int MinSeconds { get; set; } = 5;

    /// <summary>The longest clip, in seconds.</summary>
    public int MaxSeconds { get; set; } = 60;

    /// <summary>A clip's length when the request names none.</summary>
    public int DefaultSeconds { get; set; } = 30;

    /// <summary>Longest title, in characters (after cleaning, as chat messages are).</summary>
    public int MaxTitleLength { get; set; } = 100;

    /// <summary>
    /// Clips an account may ask for per window, counted cluster-wide once a request is well-formed
    /// (so asking for unknown videos counts too): each clip costs a remux and its storage.
    /// </summary>
    public RateLimitRule CreatePerAccount { get; set; } = new(10, TimeSpan.FromMinutes(10));

    /// <summary>Cuts (download, remux, thumbnail, upload) running at once on one silo; more wait <see cref="SlotWait"/>, then get <c>BUSY</c>.</summary>
    public int MaxConcurrentPerNode { get; set; } = 2;

    /// <summary>How long a request waits for one of the node's cut slots before <c>BUSY</c> (whose retry time is this far ahead).</summary>
    public TimeSpan SlotWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long <c>createClip</c> waits for the cut before answering with the clip still processing
    /// (the client then polls). A 60 s clip takes well under a second from the local store (see
    /// docs/community.md, "Clips"), so the answer is normally the finished clip.
    /// </summary>
    public TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A cut taking longer than this (a stuck download or ffmpeg) is stopped and the clip fails.</summary>
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A clip's MP4 larger than this fails (it is uploaded from memory): 60 s at 13 Mbit/s.</summary>
    public long MaxBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Where a silo downloads segments and writes the MP4 while cutting (emptied after each clip).</summary>
    public string WorkPath { get; set; } = Path.Combine(Path.GetTempPath(), "wg-stream-clips");

    /// <summary>How often views counted in memory are written to PostgreSQL.</summary>
    public TimeSpan ViewFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Viewers remembered per clip in memory for counting each once; past it the oldest are forgotten.</summary>
    public int MaxRememberedViewers { get; set; } = 10_000;

    /// <summary>How long a failed clip stays (its creator can read why) before the sweep removes its row.</summary>
    public TimeSpan KeepFailedFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each silo removes old failed clips and fails clips whose cut was cut short (a silo stopped).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan DefaultLength => TimeSpan.FromSeconds(DefaultSeconds);

    internal IEnumerable<string> Problems()
    {
        if (MinSeconds < 1 || MaxSeconds < MinSeconds || DefaultSeconds < MinSeconds || DefaultSeconds > MaxSeconds)
        {
            yield return "Clips:MinSeconds ≤ Clips:DefaultSeconds ≤ Clips:MaxSeconds, from 1 s.";
        }

        if (MaxTitleLength < 1)
        {
            yield return "Clips:MaxTitleLength must be positive.";
        }

        if (CreatePerAccount.Limit < 1 || CreatePerAccount.Window <= TimeSpan.Zero)
        {
            yield return "Clips:CreatePerAccount needs a positive Limit and Window.";
        }

        if (MaxConcurrentPerNode < 1)
        {
            yield return "Clips:MaxConcurrentPerNode must be positive.";
        }

        if (SlotWait < TimeSpan.Zero || AnswerWithin < TimeSpan.Zero || ProcessingTimeout <= TimeSpan.Zero)
        {
            yield return "Clips:SlotWait and Clips:AnswerWithin must not be negative, Clips:ProcessingTimeout must be positive.";
        }

        if (MaxBytes < 1 || MaxRememberedViewers < 1)
        {
            yield return "Clips:MaxBytes and Clips:MaxRememberedViewers must be positive.";
        }

        if (ViewFlushInterval <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero || KeepFailedFor < TimeSpan.Zero)
        {
            yield return "Clips:ViewFlushInterval and Clips:SweepInterval must be positive, Clips:KeepFailedFor not negative.";
        }

        if (string.IsNullOrWhiteSpace(WorkPath))
        {
            yield return "Clips:WorkPath is required.";
        }
    }
}
