using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace WgStream.Api.Hosting;

/// <summary><c>/readyz</c> "cluster": the silos this node reaches; none active is not ready.</summary>
internal sealed class ClusterReadinessCheck(IClusterClient cluster) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var hosts = await cluster.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(cancellationToken);
        return hosts.Count > 0 ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)") : HealthCheckResult.Unhealthy("no active silo");
    }
}

/// <summary><c>/readyz</c> "database": the co-hosted silo's PostgreSQL answers a query.</summary>
internal sealed class DatabaseReadinessCheck(NpgsqlDataSource database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return HealthCheckResult.Healthy("ok");
    }
}

/// <summary><c>/readyz</c> "redis": the membership table's Redis answers a PING, and how fast.</summary>
internal sealed class RedisReadinessCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connection = await redis.GetAsync().WaitAsync(cancellationToken);
        var latency = await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        return HealthCheckResult.Healthy($"{latency.TotalMilliseconds:F1} ms");
    }
}

/// <summary><c>/readyz</c> "warm-up": a node still warming up (<see cref="WarmUp"/>) takes no traffic yet.</summary>
internal sealed class WarmUpReadinessCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<WarmUp>() switch
        {
            null => HealthCheckResult.Healthy("off"),
            { IsDone: true } warmUp => HealthCheckResult.Healthy(warmUp.Summary),
            _ => HealthCheckResult.Unhealthy("still warming up"),
        });
}

/// <summary>
/// One Redis connection for the node's lifetime, made on first use: a multiplexer is meant to be
/// shared, and connecting on every <c>/readyz</c> (a probe every few seconds) cost a handshake and a
/// socket each time. It keeps reconnecting on its own while Redis is away (a PING fails meanwhile).
/// </summary>
internal sealed class RedisConnection(string configuration) : IAsyncDisposable
{
    private readonly Lazy<Task<ConnectionMultiplexer>> connection = new(() => ConnectAsync(configuration));

    public async Task<IConnectionMultiplexer> GetAsync() => await connection.Value;

    public async ValueTask DisposeAsync()
    {
        if (connection.IsValueCreated && connection.Value.IsCompletedSuccessfully)
        {
            await connection.Value.Result.DisposeAsync();
        }
    }

    private static Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        // Start even while Redis is down, so the first failed probe does not leave a failed connection behind.
        options.AbortOnConnectFail = false;
        return ConnectionMultiplexer.ConnectAsync(options);
    }
}
