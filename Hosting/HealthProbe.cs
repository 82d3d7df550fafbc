using System.Net;
using System.Net.Sockets;

namespace WgStream.Hosting;

/// <summary>
/// <c>dotnet WgStream.Api.dll healthcheck</c> / <c>dotnet WgStream.Silo.dll healthcheck</c>: the
/// container health check, since the runtime images carry no curl. Exit code 0 means healthy.
/// </summary>
public static class HealthProbe
{
    public static bool IsRequested(string[] args) => args is ["healthcheck", ..];

    /// <summary>The Api: its <c>/healthz</c> answers 200 on the first URL it listens on.</summary>
    public static async Task<int> HttpAsync(string? urls)
    {
        var first = (urls ?? "http://+:8080").Split(';', StringSplitOptions.RemoveEmptyEntries)[0];
        var port = new Uri(first.Replace("+", "localhost", StringComparison.Ordinal).Replace("*", "localhost", StringComparison.Ordinal)).Port;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            return (await http.GetAsync($"http://127.0.0.1:{port}/healthz")).StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }

    /// <summary>A silo: its client gateway accepts connections.</summary>
    public static async Task<int> TcpAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return 0;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return 1;
        }
    }
}
