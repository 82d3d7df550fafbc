namespace WgStream.Grains.Analytics;

/// <summary>
/// A broadcast's concurrent viewers integrated over time, fed with every change of the count (the
/// stream grain gets each one from the broadcaster). Minutes watched and average viewers come from
/// this integral rather than from a snapshot per sample, so a spike between two samples counts for
/// exactly as long as it lasted. Until the first count after a reactivation the time is not
/// measured (the count is unknown), rather than measured as zero viewers.
/// </summary>
public sealed class ViewerMeter
{
    private int viewers;
    private int peak;
    private bool known;
    private DateTimeOffset since;
    private long viewerTicks;
    private long measuredTicks;

    public ViewerMeter(DateTimeOffset start, int? viewers)
    {
        since = start;
        if (viewers is { } count)
        {
            Set(count, start);
        }
    }

    public void Set(int count, DateTimeOffset at)
    {
        Advance(at);
        viewers = Math.Max(0, count);
        peak = known ? Math.Max(peak, viewers) : viewers;
        known = true;
    }

    /// <summary>The span up to <paramref name="at"/>; the next one starts there, at the current count.</summary>
    public ViewerSpan Close(DateTimeOffset at)
    {
        Advance(at);
        var span = new ViewerSpan(viewers, peak, viewerTicks / TimeSpan.TicksPerMillisecond, measuredTicks / TimeSpan.TicksPerMillisecond);
        viewerTicks = 0;
        measuredTicks = 0;
        peak = viewers;
        return span;
    }

    private void Advance(DateTimeOffset at)
    {
        if (at <= since)
        {
            return;
        }

        if (known)
        {
            var ticks = (at - since).Ticks;
            viewerTicks += viewers * ticks;
            measuredTicks += ticks;
        }

        since = at;
    }
}

/// <summary>Viewers over a span: at its end, the most at once, the integral (viewer-milliseconds) and how much of it was measured.</summary>
public readonly record struct ViewerSpan(int Viewers, int Peak, long ViewerMs, long MeasuredMs);
