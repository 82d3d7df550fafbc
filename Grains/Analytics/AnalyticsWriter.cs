using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WgStream.Grains.Analytics;

/// <summary>
/// Writes the samples of this silo's broadcasts in batches. Samplers queue without waiting (the
/// queue is bounded by <see cref="AnalyticsOptions.QueueLimit"/>); one loop gathers for
/// <see cref="AnalyticsOptions.WriteDelay"/> (every broadcast samples at the same grid point, so a
/// batch holds the silo's broadcasts of that point) and writes up to
/// <see cref="AnalyticsOptions.WriteBatchSize"/> samples in one statement, then finalizes the
/// broadcasts that ended. A failed write is retried with growing pauses until it succeeds; the
/// statement adds each sample once whatever the retries. What is queued when the process dies is
/// lost: a fraction of a second's samples, which the sampling's "at most one sample" allows for.
/// </summary>
public sealed partial class AnalyticsWriter : BackgroundService
{
    private static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(30);

    private readonly AnalyticsStore store;
    private readonly BroadcastFinalizer finalizer;
    private readonly AnalyticsOptions options;
    private readonly ILogger<AnalyticsWriter> logger;
    private readonly Channel<AnalyticsWrite> queue;
    private readonly HashSet<(int Year, int Month)> partitions = [];
    private long dropped;

    public AnalyticsWriter(AnalyticsStore store, BroadcastFinalizer finalizer, IOptions<AnalyticsOptions> options, ILogger<AnalyticsWriter> logger)
    {
        (this.store, this.finalizer, this.options, this.logger) = (store, finalizer, options.Value, logger);
        queue = Channel.CreateBounded<AnalyticsWrite>(new BoundedChannelOptions(this.options.QueueLimit)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });
    }

    /// <summary>Samples and ends written so far by this silo (for tests and the benchmark).</summary>
    public long Written => Interlocked.Read(ref written);

    private long written;

    /// <summary>Queues a write; never waits. A full queue (the database away for long) drops it, and says so in the log.</summary>
    public void Enqueue(AnalyticsWrite write)
    {
        if (!queue.Writer.TryWrite(write))
        {
            var count = Interlocked.Increment(ref dropped);
            if (count == 1 || count % 1000 == 0)
            {
                LogDropped(count, options.QueueLimit);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AnalyticsWrite>(options.WriteBatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                if (options.WriteDelay > TimeSpan.Zero)
                {
                    await Task.Delay(options.WriteDelay, stoppingToken);
                }

                await WriteQueuedAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A normal shutdown writes what is queued, within the host's shutdown time.
        try
        {
            await WriteQueuedAsync(new List<AnalyticsWrite>(options.WriteBatchSize), cancellationToken);
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException)
        {
            LogShutdownWriteFailed(e);
        }
    }

    private async Task WriteQueuedAsync(List<AnalyticsWrite> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < options.WriteBatchSize && queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await WriteWithRetriesAsync(batch, cancellationToken);
        }
    }

    private async Task WriteWithRetriesAsync(List<AnalyticsWrite> batch, CancellationToken cancellationToken)
    {
        var samples = batch.OfType<RecordedSample>().ToList();
        var pause = TimeSpan.FromSeconds(1);
        var partitionsRechecked = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsurePartitionsAsync(samples);
                await store.WriteAsync(samples, options.SampleInterval);
                break;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && !partitionsRechecked)
            {
                // "No partition of relation found for row" has this code too: the month's partition
                // went missing (dropped by hand, say). Created again, once.
                partitionsRechecked = true;
                partitions.Clear();
                LogWriteFailed(e, samples.Count, attempt, TimeSpan.Zero);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.CheckViolation or PostgresErrorCodes.NotNullViolation or PostgresErrorCodes.NumericValueOutOfRange)
            {
                // A sample the table refuses will be refused every time: dropped, not retried forever.
                LogRefused(e, samples.Count);
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogWriteFailed(e, samples.Count, attempt, pause);
                partitions.Clear();
                await Task.Delay(pause, cancellationToken);
                pause = pause * 2 > MaxRetryPause ? MaxRetryPause : pause * 2;
            }
        }

        Interlocked.Add(ref written, samples.Count);
        foreach (var ended in batch.OfType<BroadcastEnded>())
        {
            await FinalizeWithRetriesAsync(ended, cancellationToken);
            Interlocked.Increment(ref written);
        }
    }

    private async Task FinalizeWithRetriesAsync(BroadcastEnded ended, CancellationToken cancellationToken)
    {
        // A few tries, then the maintenance pass (or the first read of the summary) finishes it.
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                await finalizer.FinalizeAsync(ended);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                LogFinalizeFailed(e, ended.StreamId, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    /// <summary>The maintenance pass creates next month's partition ahead; this covers a silo whose pass has not run yet.</summary>
    private async Task EnsurePartitionsAsync(List<RecordedSample> samples)
    {
        foreach (var at in samples.Select(s => s.At.ToUniversalTime()).DistinctBy(at => (at.Year, at.Month)))
        {
            if (partitions.Add((at.Year, at.Month)))
            {
                await store.EnsurePartitionAsync(at);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: {Count} samples could not be queued in all (the queue holds {Limit}); the database has been away too long")]
    private partial void LogDropped(long count, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: writing {Count} samples failed (attempt {Attempt}); trying again in {Pause}")]
    private partial void LogWriteFailed(Exception exception, int count, int attempt, TimeSpan pause);

    [LoggerMessage(Level = LogLevel.Error, Message = "Analytics: the database refused {Count} samples; they are dropped")]
    private partial void LogRefused(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: finalizing broadcast {StreamId} failed (attempt {Attempt})")]
    private partial void LogFinalizeFailed(Exception exception, Guid streamId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: the samples queued at shutdown could not all be written")]
    private partial void LogShutdownWriteFailed(Exception exception);
}
