using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Hosting;

/// <summary>Bound from the <c>WarmUp</c> section.</summary>
public sealed class WarmUpOptions
{
    public const string Section = "WarmUp";

    /// <summary>Requests the node sends itself at most before it reports ready; 0 turns the warm-up off.</summary>
    public int Requests { get; set; } = 20_000;

    /// <summary>
    /// The warm-up ends early once the JIT has settled: fewer than this many methods compiled in
    /// the last half second (tier-up of the warmed paths is then done, not left for the first clients).
    /// </summary>
    public int SettledMethodsPerHalfSecond { get; set; } = 10;

    /// <summary>The warm-up stops here whatever it has done, so a node is never held back for long.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// A node that has just started runs its request path as unoptimised code and spends its first
/// seconds under load compiling it (measured: 5,500 channel-page reads/s in the first 15 s against
/// 22,700 warm). Before <c>/readyz</c> says ready, the node therefore sends itself the web client's
/// persisted queries over loopback HTTP, the whole path a client's request takes, so the JIT tiers
/// it up and the grains those queries read are active when a load balancer sends the first real
/// request. Queries with variables get sample values from a channel that exists
/// (<see cref="WarmUpRequests"/>), so the channel page runs its real resolvers too.
/// </summary>
public sealed partial class WarmUp(
    IServer server,
    IHostApplicationLifetime lifetime,
    IClusterClient cluster,
    PersistedDocuments documents,
    IOptions<WarmUpOptions> options,
    ILogger<WarmUp> logger) : BackgroundService
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int sent;
    private volatile bool failed;

    public bool IsDone => done.Task.IsCompleted;

    /// <summary>What <c>/readyz</c> shows once <see cref="IsDone"/>: how many requests the warm-up sent, and whether it gave up.</summary>
    public string Summary => failed
        ? $"failed after {Volatile.Read(ref sent)} requests; ready without it"
        : $"done, {Volatile.Read(ref sent)} requests";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A warm-up that fails costs only speed: the node is ready anyway.
            failed = true;
            LogFailed(e);
        }
        finally
        {
            done.TrySetResult();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Requests <= 0 || documents.All.Count == 0)
        {
            return;
        }

        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        if (Loopback(server) is not { } address)
        {
            return;
        }

        // Live channels first, then the most followed: a page visitors are likely to open.
        var sample = (await cluster.GetGrain<IChannelDirectoryGrain>(0).RecommendedAsync(null, 1)) is [var channel, ..]
            ? (channel.Id, channel.Username)
            : ((Guid, string)?)null;
        var queries = WarmUpRequests.From(documents.All, sample);
        if (queries.Count == 0)
        {
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        limit.CancelAfter(options.Value.MaxDuration);
        using var http = new HttpClient { BaseAddress = address };
        var watch = Stopwatch.StartNew();
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        var checkedAt = watch.Elapsed;
        try
        {
            // Rounds of a few requests at a time (enough to run the concurrent paths, not so many that
            // the node is busy only with itself) until the JIT has tiered them up, the budget is spent
            // or time is out.
            while (Volatile.Read(ref sent) < options.Value.Requests)
            {
                await Parallel.ForAsync(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = limit.Token }, async (i, token) =>
                {
                    var query = queries[i % queries.Count];
                    using var response = await http.PostAsJsonAsync("/graphql", new { documentId = query.DocumentId, variables = query.Variables }, token);
                    Interlocked.Increment(ref sent);
                });
                if (watch.Elapsed - checkedAt >= TimeSpan.FromMilliseconds(500))
                {
                    var now = System.Runtime.JitInfo.GetCompiledMethodCount();
                    if (now - compiled < options.Value.SettledMethodsPerHalfSecond)
                    {
                        break;
                    }

                    (compiled, checkedAt) = (now, watch.Elapsed);
                }
            }
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Out of time: ready with what was done.
        }

        LogDone(Volatile.Read(ref sent), queries.Count, watch.Elapsed);
    }

    /// <summary>One of the node's own HTTP addresses, as a loopback URL.</summary>
    private static Uri? Loopback(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                && uri.Scheme == Uri.UriSchemeHttp)
            {
                return new UriBuilder(uri) { Host = "127.0.0.1" }.Uri;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up with {Requests} requests over {Queries} persisted queries in {Elapsed}")]
    private partial void LogDone(int requests, int queries, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up failed; the node is ready without it")]
    private partial void LogFailed(Exception exception);
}
