namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Pings every SignalR connection every 10 s, as real clients do: the server drops a connection it
/// has heard nothing from for 30 s (ClientTimeoutInterval), and an idle viewer sends nothing else.
/// </summary>
public sealed class SignalRKeepAlive : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public SignalRKeepAlive(IReadOnlyList<SignalRFeedClient> clients) => loop = RunAsync(clients);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task RunAsync(IReadOnlyList<SignalRFeedClient> clients)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                foreach (var client in clients)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }

                    if (client.Connection.IsOpen)
                    {
                        await client.PingAsync();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
