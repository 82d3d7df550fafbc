using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Streams;

/// <summary>
/// This Api node's viewers, per channel, each under a viewer key: a signed-in session's id, or an
/// anonymous socket's own id (see <see cref="ViewerKeys"/>). A key is counted once however many
/// chat rooms, <c>watchStream</c> subscriptions or sockets hold it, and stops counting when the
/// last of them leaves, so one socket cannot add a hundred viewers. The node reports its count for a
/// channel to the channel's <see cref="IBroadcasterGrain"/> at once when it changes, and every third
/// of <see cref="StreamOptions.ViewerLease"/> for every channel it has viewers of. The grain sums
/// the nodes' reports and drops a report whose lease ran out, so the viewers of a node that died
/// stop counting within the lease, and a broadcaster grain lost with its silo is rebuilt by the
/// next round of reports. The node's total over all channels is the <c>wg.streams.viewers</c> gauge.
/// </summary>
public sealed partial class ViewerPresence : BackgroundService
{
    private const int ReportConcurrency = 16;
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, Dictionary<string, int>> channels = [];
    private readonly IClusterClient cluster;
    private readonly IOptions<StreamOptions> options;
    private readonly ILogger<ViewerPresence> logger;
    private long sequence;

    // The sum of the channels' counts, kept as they change (under the gate) so a scrape reads one field instead of walking every channel.
    private int viewers;

    public ViewerPresence(IClusterClient cluster, IOptions<StreamOptions> options, IMeterFactory meters, ILogger<ViewerPresence> logger)
    {
        this.cluster = cluster;
        this.options = options;
        this.logger = logger;
        meters.Create(WgMetrics.MeterName).CreateObservableGauge(
            "wg.streams.viewers",
            () => Volatile.Read(ref viewers),
            description: "Viewers watching on this Api node: a viewer key counts once per channel it watches or chats in.");
    }

    /// <summary>Viewers this node counts for the channel right now.</summary>
    public int CountOf(Guid channelId)
    {
        lock (gate)
        {
            return channels.TryGetValue(channelId, out var keys) ? keys.Count : 0;
        }
    }

    /// <summary>New each time the node starts: a restarted node is a new reporter, and its old reports simply expire.</summary>
    public string NodeId { get; } = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    private TimeSpan Lease => options.Value.ViewerLease;

    private TimeSpan RenewInterval => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(200).Ticks, Lease.Ticks / 3));

    /// <summary>
    /// How long one report is waited for. A call to a grain whose silo just died can hang until
    /// Orleans' response timeout (30 s); past this the node stops waiting (the call goes on) so
    /// renewals keep their pace and reach the grain's new activation.
    /// </summary>
    private TimeSpan ReportTimeout => RenewInterval < TimeSpan.FromSeconds(5) ? RenewInterval : TimeSpan.FromSeconds(5);

    /// <summary>Counts <paramref name="key"/> as a viewer of the channel (once however often it joins) and reports the node's new count.</summary>
    public Task JoinAsync(Guid channelId, string key)
    {
        ViewerReport report;
        lock (gate)
        {
            if (!channels.TryGetValue(channelId, out var keys))
            {
                channels[channelId] = keys = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            var holds = keys.GetValueOrDefault(key);
            keys[key] = holds + 1;
            if (holds > 0)
            {
                return Task.CompletedTask;
            }

            viewers++;
            report = NextReport(keys.Count);
        }

        return ReportAsync(channelId, report);
    }

    /// <summary>Undoes one <see cref="JoinAsync"/>; the key stops counting when its last join is undone.</summary>
    public Task LeaveAsync(Guid channelId, string key)
    {
        ViewerReport report;
        lock (gate)
        {
            if (!channels.TryGetValue(channelId, out var keys) || !keys.TryGetValue(key, out var holds))
            {
                return Task.CompletedTask;
            }

            if (holds > 1)
            {
                keys[key] = holds - 1;
                return Task.CompletedTask;
            }

            keys.Remove(key);
            viewers--;

            if (keys.Count == 0)
            {
                channels.Remove(channelId);
            }

            report = NextReport(keys.Count);
        }

        return ReportAsync(channelId, report);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RenewInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>A node shutting down takes its viewers with it at once, rather than when its lease ends (best effort).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        List<(Guid ChannelId, ViewerReport Report)> goodbye;
        lock (gate)
        {
            goodbye = channels.Keys.Select(id => (id, NextReport(0))).ToList();
            channels.Clear();
            viewers = 0;
        }

        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await Task.WhenAll(goodbye.Select(g => ReportAsync(g.ChannelId, g.Report))).WaitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        List<(Guid ChannelId, ViewerReport Report)> round;
        lock (gate)
        {
            round = channels.Select(c => (c.Key, NextReport(c.Value.Count))).ToList();
        }

        await Parallel.ForEachAsync(
            round,
            new ParallelOptions { MaxDegreeOfParallelism = ReportConcurrency, CancellationToken = cancellationToken },
            async (r, _) => await ReportAsync(r.ChannelId, r.Report));
    }

    /// <summary>Called under <see cref="gate"/>: sequence numbers follow the order the counts changed in, whatever order the calls arrive in.</summary>
    private ViewerReport NextReport(int count) => new(NodeId, count, ++sequence, Lease);

    /// <summary>A failed or slow report is logged, not thrown: watching or chatting does not depend on the count, and the next renewal repairs it.</summary>
    private async Task ReportAsync(Guid channelId, ViewerReport report)
    {
        var call = cluster.GetGrain<IBroadcasterGrain>(channelId).ReportViewersAsync(report);
        try
        {
            await call.WaitAsync(ReportTimeout);
        }
        catch (TimeoutException)
        {
            LogReportSlow(channelId, ReportTimeout);
            _ = call.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReportFailed(e, channelId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not report this node's viewers of channel {ChannelId}; the next renewal tries again")]
    private partial void LogReportFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No answer within {Timeout} to this node's viewer report for channel {ChannelId}; the next renewal tries again")]
    private partial void LogReportSlow(Guid channelId, TimeSpan timeout);
}
