using System.Diagnostics;
using System.Globalization;

namespace WgStream.Bench.Failover;

/// <summary>The figures for one kill, from the attempts and arrivals recorded around it.</summary>
public static class FailoverReport
{
    public static void Print(string what, IReadOnlyList<SendAttempt> attempts, IReadOnlyList<FailoverViewers.Viewer> viewers, long killed, long windowEnd, int? node)
    {
        // Senders (or viewers) the kill concerns: everyone for a silo, that node's for an Api node.
        var window = attempts.Where(a => a.Started < windowEnd && a.Ended > killed && (node is null || a.Node == node || a.Started >= killed)).ToList();
        var inFlight = window.Where(a => a.Started < killed && (node is null || a.Node == node)).ToList();
        var firstAckAfter = window.Where(a => a.Started >= killed && a.Acknowledged && (node is null || SenderWasOn(attempts, a.Sender, node.Value, killed))).Select(a => a.Ended).DefaultIfEmpty().Min();
        var failed = window.Where(a => !a.Acknowledged).GroupBy(a => a.Outcome).Select(g => $"{g.Key} {g.Count()}");
        var longest = window.Select(a => Ms(a.Ended - a.Started)).DefaultIfEmpty().Max();
        Console.WriteLine($"{what}:");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  send stall (kill → first acknowledged send started after it): {(firstAckAfter == 0 ? "never" : $"{Ms(firstAckAfter - killed):F0} ms")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sends in flight at the kill: {inFlight.Count}, acknowledged {inFlight.Count(a => a.Acknowledged)}, longest wait {inFlight.Select(a => Ms(a.Ended - a.Started)).DefaultIfEmpty().Max():F0} ms; longest send in the window {longest:F0} ms"));
        Console.WriteLine($"  failed sends in the window: {(failed.Any() ? string.Join(", ", failed) : "none")}");

        var concerned = viewers.Where(v => node is null ? v.Lost is null || v.Lost > windowEnd : v.FirstNode == node).ToList();
        var sentAfter = attempts.Where(a => a.Started >= killed && a.Started < windowEnd && a.Acknowledged).Select(a => a.Text).ToHashSet();
        var resume = concerned
            .Select(v => v.Arrivals.Where(kv => sentAfter.Contains(kv.Key)).Select(kv => kv.Value).DefaultIfEmpty().Min())
            .Select(first => first == 0 ? double.PositiveInfinity : Ms(first - killed))
            .Order()
            .ToList();
        if (resume.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  live resume (kill → first live message sent after it), {resume.Count} viewers: median {resume[resume.Count / 2]:F0} ms, max {resume[^1]:F0} ms"));
        }

        if (node is not null)
        {
            var rejoined = concerned.Where(v => v.Rejoined is not null).Select(v => Ms(v.Rejoined!.Value - killed)).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  viewers reconnected to the other node: {rejoined.Count} of {concerned.Count}{(rejoined.Count > 0 ? $", max {rejoined[^1]:F0} ms after the kill" : string.Empty)}"));
        }
        else
        {
            // Viewers connected throughout: acknowledged messages they never saw live (history has them).
            var acked = attempts.Where(a => a.Acknowledged && a.Started < windowEnd && a.Ended > killed - Stopwatch.Frequency).Select(a => a.Text).ToList();
            var missed = concerned.Select(v => acked.Count(t => !v.Arrivals.ContainsKey(t))).ToList();
            Console.WriteLine($"  acknowledged messages around the kill missed live (in history only): max {missed.DefaultIfEmpty().Max()} per viewer of {acked.Count}");
        }
    }

    public static void PrintIntegrity(IReadOnlyList<SendAttempt> attempts, Dictionary<string, int> stored)
    {
        var acked = attempts.Where(a => a.Acknowledged).Select(a => a.Text).ToList();
        var lost = acked.Count(t => !stored.ContainsKey(t));
        var twice = stored.Count(kv => kv.Value > 1);
        var unacknowledgedStored = attempts.Where(a => !a.Acknowledged).Count(a => stored.ContainsKey(a.Text));
        Console.WriteLine($"integrity: {acked.Count} acknowledged, {lost} of them lost, {twice} stored twice; {unacknowledgedStored} sends answered with an error were stored anyway");
    }

    private static bool SenderWasOn(IReadOnlyList<SendAttempt> attempts, int sender, int node, long at) =>
        attempts.LastOrDefault(a => a.Sender == sender && a.Started < at)?.Node == node;

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
