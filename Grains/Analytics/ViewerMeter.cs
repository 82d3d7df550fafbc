namespace WgStream.Grains.Analytics;

/// <summary>
/// A broadcast's concurrent viewers integrated over time, fed with every change of the count (the
/// stream grain gets each one from the broadcaster). Minutes watched and average viewers come from
/// this integral rather than from a snapshot per sample, so a spike between two samples counts for
/// exactly as long as it lasted. Until the first count after a reactivation the time is not
/// measured (the count is unknown), rather than measured as zero viewers.
/// <para>
/// A span is closed a little after its end (the sampler waits <c>CollectDelay</c> for the other
/// owners' counts), so a count set in between belongs to the next span: the changes since the open
/// span began are kept in time order and each span is integrated only up to its own end.
/// </para>
/// </summary>
public sealed class ViewerMeter
{
    /// <summary>The count in effect from each time on, from the open span's start; the first one carries the count at that start.</summary>
    private readonly List<(DateTimeOffset At, int Viewers)> changes = [];
    private DateTimeOffset spanStart;

    public ViewerMeter(DateTimeOffset start, int? viewers)
    {
        spanStart = start;
        if (viewers is { } count)
        {
            Set(count, start);
        }
    }

    public void Set(int count, DateTimeOffset at)
    {
        count = Math.Max(0, count);
        if (changes.Count > 0)
        {
            var last = changes[^1];
            if (last.Viewers == count)
            {
                return;
            }

            // A clock read a little before the last one: the change cannot be earlier than what it follows.
            at = at < last.At ? last.At : at;
        }

        changes.Add((at < spanStart ? spanStart : at, count));
    }

    /// <summary>The span up to <paramref name="at"/>; the next one starts there, at the count in effect then.</summary>
    public ViewerSpan Close(DateTimeOffset at)
    {
        if (at <= spanStart)
        {
            var current = changes.Count > 0 && changes[0].At <= spanStart ? changes[0].Viewers : 0;
            return new ViewerSpan(current, current, 0, 0);
        }

        long viewerTicks = 0, measuredTicks = 0;
        int viewers = 0, peak = 0, used = 0;
        for (; used < changes.Count && changes[used].At < at; used++)
        {
            var (from, count) = changes[used];
            var until = used + 1 < changes.Count && changes[used + 1].At < at ? changes[used + 1].At : at;
            var ticks = (until - from).Ticks;
            viewerTicks += count * ticks;
            measuredTicks += ticks;
            viewers = count;
            peak = used == 0 ? count : Math.Max(peak, count);
        }

        if (used > 0)
        {
            // The last count of this span goes on into the next one, from its start.
            changes.RemoveRange(0, used);
            changes.Insert(0, (at, viewers));
        }

        spanStart = at;
        return new ViewerSpan(viewers, peak, viewerTicks / TimeSpan.TicksPerMillisecond, measuredTicks / TimeSpan.TicksPerMillisecond);
    }
}

/// <summary>Viewers over a span: at its end, the most at once, the integral (viewer-milliseconds) and how much of it was measured.</summary>
public readonly record struct ViewerSpan(int Viewers, int Peak, long ViewerMs, long MeasuredMs);
