using WgStream.Grains.Analytics;

namespace WgStream.Tests.Analytics;

/// <summary>
/// The viewer integral behind minutes watched: each span counts exactly the viewer-time inside it,
/// even when its sample is taken after a later count arrived (the sampler waits a little past each
/// grid point, and under load its timer fires later still).
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class ViewerMeterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_count_set_after_a_spans_end_but_before_it_is_closed_belongs_to_the_next_span()
    {
        var meter = new ViewerMeter(T0, 4);
        meter.Set(10, T0.AddSeconds(5.3));   // after the span [0, 5 s) ended; it is closed only now
        var first = meter.Close(T0.AddSeconds(5));
        var second = meter.Close(T0.AddSeconds(10));

        Assert.Equal(new ViewerSpan(4, 4, 20_000, 5_000), first);
        // 0.3 s more at 4, then 4.7 s at 10.
        Assert.Equal(new ViewerSpan(10, 10, 1_200 + 47_000, 5_000), second);
    }

    [Fact]
    public void A_spike_inside_a_span_counts_for_as_long_as_it_lasted_and_sets_the_peak()
    {
        var meter = new ViewerMeter(T0, 2);
        meter.Set(2, T0.AddSeconds(1));      // a re-sent count changes nothing
        meter.Set(50, T0.AddSeconds(2));
        meter.Set(3, T0.AddSeconds(2.5));
        var span = meter.Close(T0.AddSeconds(5));

        Assert.Equal(new ViewerSpan(3, 50, (2 * 2_000) + (50 * 500) + (3 * 2_500), 5_000), span);
        // The next span starts at the count in effect, with its own peak.
        Assert.Equal(new ViewerSpan(3, 3, 15_000, 5_000), meter.Close(T0.AddSeconds(10)));
    }

    [Fact]
    public void Until_the_first_count_after_a_reactivation_the_time_is_not_measured()
    {
        var meter = new ViewerMeter(T0, null);
        meter.Set(6, T0.AddSeconds(3));
        Assert.Equal(new ViewerSpan(6, 6, 12_000, 2_000), meter.Close(T0.AddSeconds(5)));
        Assert.Equal(new ViewerSpan(0, 0, 0, 0), new ViewerMeter(T0, null).Close(T0.AddSeconds(5)));
    }

    [Fact]
    public void Closing_at_or_before_the_spans_start_measures_nothing_and_keeps_the_count()
    {
        var meter = new ViewerMeter(T0, 7);
        Assert.Equal(new ViewerSpan(7, 7, 0, 0), meter.Close(T0));
        Assert.Equal(new ViewerSpan(7, 7, 35_000, 5_000), meter.Close(T0.AddSeconds(5)));
    }
}
