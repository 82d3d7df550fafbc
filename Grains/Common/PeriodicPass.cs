namespace WgStream.Grains.Common;

/// <summary>
/// The loop of a silo's background sweep: one pass at once, then one every interval until the silo
/// stops. A pass that fails is reported and left to the next tick, so one bad pass (a database
/// blip, a grain call timing out) does not end the sweep for the silo's lifetime.
/// </summary>
public static class PeriodicPass
{
    /// <summary>Runs <paramref name="pass"/> now and after every <paramref name="interval"/> (on <paramref name="clock"/>, so tests can move time) until <paramref name="stoppingToken"/> is cancelled.</summary>
    public static async Task RunAsync(
        TimeSpan interval,
        TimeProvider clock,
        Func<CancellationToken, Task> pass,
        Action<Exception> passFailed,
        CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            do
            {
                try
                {
                    await pass(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    passFailed(e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping: the end of the sweep, not a failure.
        }
    }
}
