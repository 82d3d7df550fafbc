using System.Globalization;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>
/// Reads ffmpeg's <c>-progress</c> blocks (<c>key=value</c> lines ending in <c>progress=…</c>) and
/// keeps the encoding speed over the last few seconds, from <c>out_time_us</c> against the wall
/// clock. ffmpeg's own <c>speed=</c> is an average since it started, which a slow first second (the
/// probe, the first keyframe) drags down for minutes.
/// </summary>
public sealed class EncodingSpeed(TimeSpan window)
{
    private readonly Queue<(TimeSpan Wall, long Media)> samples = new();
    private long? mediaUs;

    /// <summary>Speed over the window (1.0 is real time); null until the window has two samples a second apart.</summary>
    public double? Current { get; private set; }

    /// <summary>Media time written so far.</summary>
    public TimeSpan Written => TimeSpan.FromTicks((mediaUs ?? 0) * 10);

    /// <summary>
    /// Feeds one line read at <paramref name="wall"/> (a monotonic clock, from any origin); returns
    /// true at the end of a block (when <see cref="Current"/> may have changed).
    /// </summary>
    public bool Read(string line, TimeSpan wall)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0)
        {
            return false;
        }

        var key = line.AsSpan(0, eq);
        var value = line.AsSpan(eq + 1).Trim();
        if (key.SequenceEqual("out_time_us") && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) && us >= 0)
        {
            mediaUs = us;
            return false;
        }

        if (!key.SequenceEqual("progress") || mediaUs is not { } media)
        {
            return false;
        }

        samples.Enqueue((wall, media));
        while (samples.Count > 2 && wall - samples.Peek().Wall > window)
        {
            samples.Dequeue();
        }

        var (firstWall, firstMedia) = samples.Peek();
        var elapsed = wall - firstWall;
        Current = elapsed >= TimeSpan.FromSeconds(1) ? (media - firstMedia) / elapsed.TotalMicroseconds : Current;
        return true;
    }
}
