using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Opens many connections a bounded number at a time (so the server's accept backlog and the
/// load generator are not swamped), each within its own timeout and all within a total limit.
/// </summary>
public static class ConnectPhase
{
    public static async Task<Result<T>> RunAsync<T>(
        int count, int concurrency, TimeSpan total, Func<int, CancellationToken, Task<T>> connect)
        where T : class
    {
        var connected = new T?[count];
        var failed = 0;
        string? firstError = null;
        using var deadline = new CancellationTokenSource(total);
        var watch = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = deadline.Token },
                async (i, cancellationToken) =>
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(TimeSpan.FromSeconds(30));
                    try
                    {
                        connected[i] = await connect(i, timeout.Token);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref failed);
                        Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                    }
                });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Out of time: report what connected.
        }

        return new Result<T>(connected, failed, firstError, watch.Elapsed, deadline.IsCancellationRequested);
    }

    public sealed record Result<T>(T?[] Slots, int Failed, string? FirstError, TimeSpan Elapsed, bool TimedOut)
        where T : class
    {
        public T[] Connected => Slots.OfType<T>().ToArray();

        public string Describe(int asked) =>
            $"{Connected.Length:N0}/{asked:N0} in {Elapsed.TotalSeconds:F1} s" +
            (Failed > 0 ? $", {Failed:N0} failed (first: {FirstError})" : string.Empty) +
            (TimedOut ? $", stopped at the {Elapsed.TotalSeconds:F0} s limit" : string.Empty);
    }
}
