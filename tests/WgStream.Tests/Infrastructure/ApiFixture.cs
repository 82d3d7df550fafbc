namespace WgStream.Tests.Infrastructure;

/// <summary>
/// One running Api for a test collection: its own database, its own SMTP server, real sockets.
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public SmtpSink Mail { get; private set; } = null!;

    public ApiProcess Api { get; private set; } = null!;

    /// <summary>The port the Api will listen on, chosen before <see cref="Settings"/> is read, so settings can name the Api's own URL.</summary>
    protected int ApiPort { get; private set; }

    /// <summary>Extra settings a derived fixture wants (for example tight rate limits).</summary>
    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>The operator account name this Api is configured with (no account exists until a test registers it).</summary>
    public const string AdminUsername = "wg_test_admin";

    public Uri WebSocketUri => new($"ws://127.0.0.1:{Api.Port}/graphql");

    public GraphQLClient CreateClient() => new(new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) });

    public virtual async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Mail = new SmtpSink();
        ApiPort = FreePort.Next();
        var settings = new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = Database.ConnectionString,
            ["WG_Mail__Mode"] = "Smtp",
            ["WG_Mail__Host"] = "127.0.0.1",
            ["WG_Mail__Port"] = Mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Mail__Security"] = "None",
            ["WG_GraphQL__ConnectionInitTimeout"] = "00:00:02",
            ["WG_Admin__Usernames__0"] = AdminUsername,
        };
        foreach (var (key, value) in Settings)
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
