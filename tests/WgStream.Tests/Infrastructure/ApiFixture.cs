namespace WgStream.Tests.Infrastructure;

/// <summary>
/// One running Api for a test collection: its own database, its own SMTP server, real sockets.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public SmtpSink Mail { get; private set; } = null!;

    public ApiProcess Api { get; private set; } = null!;

    private Dictionary<string, string> settings = [];

    /// <summary>The port the Api will listen on, chosen before <see cref="Settings"/> is read, so settings can name the Api's own URL.</summary>
    protected int ApiPort { get; private set; }

    /// <summary>Extra settings a derived fixture wants (for example tight rate limits).</summary>
    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Api.Port}/graphql");

    public GraphQLClient CreateClient() => new(new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Mail = new SmtpSink();
        ApiPort = FreePort.Next();
        settings = new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = Database.ConnectionString,
            ["WG_Mail__Mode"] = "Smtp",
            ["WG_Mail__Host"] = "127.0.0.1",
            ["WG_Mail__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Mail__Security"] = "None",
            ["WG_GraphQL__ConnectionInitTimeout"] = "00:00:02",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Api = new ApiProcess(settings, port: ApiPort);
        await Api.StartAsync();
    }

    /// <summary>
    /// Stops the Api and starts it again on the same port and database with more settings: for
    /// settings that name what only exists once the Api ran, such as an account's id.
    /// </summary>
    protected async Task RestartWithAsync(IDictionary<string, string> more)
    {
        await Api.DisposeAsync();
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        Api = new ApiProcess(settings, port: ApiPort);
        await Api.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Mail.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "Api";
}
