using System.Net;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;

namespace WgStream.Tests.Analytics;

/// <summary>
/// The real Api sampling every 2 s, taking nginx-rtmp's callbacks (posted by the tests, as nginx
/// would post them), with one operator (listed, 2FA on) registered and configured as an operator
/// would set it up (<see cref="Operations.AdminFixture"/> does the same).
/// </summary>
public sealed class AnalyticsApiFixture : ApiFixture
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly RtmpIngest ingest = new();

    public TestAccount Operator { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(ingest.ApiSettings)
    {
        ["WG_Analytics__SampleInterval"] = "00:00:02",
        // Nothing publishes to the ingest's RTMP port here: no recording to try.
        ["WG_Videos__Record"] = "false",
        // The shipped heartbeat timeout: the tests post no on_update, and a broadcast here lasts seconds.
        ["WG_Streams__HeartbeatTimeout"] = "00:00:30",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var client = CreateClient();
        Operator = await client.RegisterAsync();
        await TwoFactor.TurnOnAsync(client, Operator.Password);
        await RestartWithAsync(new Dictionary<string, string> { ["WG_Admin__UserIds__0"] = Operator.Id.ToString() });
    }

    public GraphQLClient Client(string? token)
    {
        var client = CreateClient();
        client.Token = token;
        return client;
    }

    /// <summary>nginx-rtmp's on_publish (go live) or on_publish_done (end) for the owner's key on client connection <paramref name="clientId"/>.</summary>
    public async Task IngestAsync(string call, string key, int clientId)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        var path = call == "publish" ? "publish" : "publish-done";
        using var response = await http.PostAsync($"/ingest/rtmp/{path}?secret={Uri.EscapeDataString(ingest.IngestSecret)}", new FormUrlEncodedContent(StreamsFixture.RtmpForm(call, key, clientId)));
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.OK))
        {
            Assert.Fail($"{call}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}\nApi log tail:\n{Api.OutputTail()}");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AnalyticsApiCollection : ICollectionFixture<AnalyticsApiFixture>
{
    public const string Name = "AnalyticsApi";
}
