using Microsoft.Extensions.Options;

namespace WgStream.Api.Hosting;

/// <summary>Bound from <c>Cluster:Calls</c>: how the Api waits for grain calls on its hot paths (session checks, chat sends).</summary>
public sealed class ClusterCallOptions
{
    public const string Section = "Cluster:Calls";

    /// <summary>
    /// How long one attempt waits before it is given up and tried again. A healthy grain answers in
    /// milliseconds; a call that went to a silo killed mid-call would otherwise wait Orleans' 30 s
    /// response timeout, because a client does not fail calls pending on a gateway that vanished.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the attempts may take in all; covers a dead silo being declared dead (about 3–4 s with the shipped membership settings).</summary>
    public TimeSpan RetryDeadline { get; set; } = TimeSpan.FromSeconds(8);
}

/// <summary>
/// Runs a grain call that is safe to repeat, giving each attempt <see cref="ClusterCallOptions.AttemptTimeout"/>
/// (through the call's cancellation token, which Orleans honours at once on the caller's side) and
/// trying again after a short backoff while the cluster fails (a timeout, a dead or unreachable
/// silo, a rejected message), until <see cref="ClusterCallOptions.RetryDeadline"/>. What the grain
/// itself answers, a refusal included, is the answer. When the deadline passes, the last failure is
/// thrown, as a <see cref="TimeoutException"/> if it was an attempt running out of time, so every
/// transport maps it to its retryable "unavailable" answer.
/// </summary>
public sealed partial class ClusterRetry(IOptions<ClusterCallOptions> options, TimeProvider clock, ILogger<ClusterRetry> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);

    public async Task<T> RunAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken aborted)
    {
        var settings = options.Value;
        var started = clock.GetTimestamp();
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            attemptTimeout.CancelAfter(settings.AttemptTimeout);
            try
            {
                return await call(attemptTimeout.Token);
            }
            catch (Exception e) when (!aborted.IsCancellationRequested && IsClusterFailure(e))
            {
                var elapsed = clock.GetElapsedTime(started);
                if (elapsed + backoff >= settings.RetryDeadline)
                {
                    LogGaveUp(what, attempt, elapsed.TotalMilliseconds, e);
                    if (e is OperationCanceledException)
                    {
                        throw new TimeoutException($"{what} got no answer from the cluster in {elapsed.TotalSeconds:F1} s ({attempt} attempts).", e);
                    }

                    throw;
                }

                LogRetrying(what, attempt, e.GetType().Name);
                await Task.Delay(backoff, clock, aborted);
                backoff *= 2;
            }
        }
    }

    /// <summary>The cluster failed to answer, as opposed to the grain answering with a refusal.</summary>
    public static bool IsClusterFailure(Exception e) => e is OperationCanceledException or TimeoutException or OrleansException;

    [LoggerMessage(Level = LogLevel.Information, Message = "{What} failed on attempt {Attempt} ({Failure}); trying again")]
    private partial void LogRetrying(string what, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} gave up after {Attempt} attempts in {ElapsedMs:F0} ms")]
    private partial void LogGaveUp(string what, int attempt, double elapsedMs, Exception exception);
}
