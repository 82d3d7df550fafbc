using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Notifications;

/// <summary>
/// The real Api with a fake Telegram Bot API server (polling mode), the SMTP sink, quick polling,
/// short retry delays, pruning passes twice a second, and a known cluster id so a test can publish
/// events as other features would.
/// </summary>
public partial class NotificationsFixture : ApiFixture
{
    public const string Site = "https://wg.example";

    public static readonly TimeSpan RetryBase = TimeSpan.FromMilliseconds(200);

    public FakeTelegramBotApi Telegram { get; private set; } = null!;

    public string ClusterId { get; } = $"notify-{Guid.NewGuid():N}";

    protected virtual string TelegramMode => "Polling";

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Telegram__BotToken"] = FakeTelegramBotApi.Token,
        ["WG_Telegram__BotUsername"] = FakeTelegramBotApi.BotUsername,
        ["WG_Telegram__Mode"] = TelegramMode,
        ["WG_Telegram__WebhookSecret"] = WebhookSecret,
        ["WG_Telegram__ApiBaseUrl"] = Telegram.BaseUrl.ToString().TrimEnd('/'),
        ["WG_Telegram__PollTimeoutSeconds"] = "5",
        ["WG_Notifications__PollInterval"] = "00:00:00.200",
        ["WG_Notifications__RetryBaseDelay"] = RetryBase.ToString("c", CultureInfo.InvariantCulture),
        ["WG_Notifications__RetryMaxDelay"] = "00:00:01",
        // Default retention (days), so only rows a test backdates are old enough to prune.
        ["WG_Notifications__PruneInterval"] = "00:00:00.500",
        ["WG_Accounts__PublicBaseUrl"] = Site,
        ["WG_Accounts__Argon2MemoryKiB"] = "1024",
        ["WG_Accounts__Argon2Iterations"] = "1",
        ["WG_Cluster__ClusterId"] = ClusterId,
    };

    public string WebhookSecret { get; } = $"hook-{Guid.NewGuid():N}";

    public override async Task InitializeAsync()
    {
        Telegram = await FakeTelegramBotApi.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Telegram.DisposeAsync();
    }

    /// <summary>Publishes an event the way another feature's grain would, through an Orleans client of the Api's co-hosted silo.</summary>
    public async Task PublishAsync(NotificationEvent e)
    {
        using var host = new HostBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering(Api.GatewayPort, "wg-stream", ClusterId))
            .Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<IClusterClient>().GetGrain<INotificationDispatchGrain>(0).PublishAsync(e);
        await host.StopAsync();
    }

    /// <summary>Registers an account and verifies its address with the code from the e-mail.</summary>
    public async Task<(GraphQLClient Client, TestAccount Account)> RegisterVerifiedAsync()
    {
        var client = CreateClient();
        var account = await client.RegisterAsync();
        var mail = await Mail.WaitForAsync(account.Email, m => SixDigits().IsMatch(m.Subject ?? string.Empty));
        await client.DataAsync("mutation($c: String!) { verifyEmail(code: $c) { emailVerified } }", new { c = SixDigits().Match(mail.Subject!).Value });
        return (client, account);
    }

    /// <summary>Links the account to a Telegram chat through the deep link, as a person would.</summary>
    public async Task LinkTelegramAsync(GraphQLClient client, long chatId)
    {
        var url = (await client.DataAsync("mutation { connectTelegram { url } }")).GetProperty("connectTelegram").GetProperty("url").GetString()!;
        var before = Telegram.SentTo(chatId).Count;
        Telegram.SendText(chatId, $"/start {StartToken(url)}");
        await Telegram.WaitForMessageAsync(chatId, t => t.Contains("connected to", StringComparison.Ordinal), skip: before);
    }

    public static string StartToken(string url)
    {
        var match = DeepLink().Match(url);
        Assert.True(match.Success, $"Not a deep link: {url}");
        return match.Groups[1].Value;
    }

    /// <summary>Polls the signed-in user's notifications until one satisfies <paramref name="match"/>.</summary>
    public static async Task<JsonElement> WaitForNotificationAsync(GraphQLClient client, Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var edges = (await client.DataAsync(NotificationsQuery)).GetProperty("notifications").GetProperty("edges");
            foreach (var edge in edges.EnumerateArray())
            {
                if (match(edge.GetProperty("node")))
                {
                    return edge.GetProperty("node");
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No such notification; there are: {edges}");
            }

            await Task.Delay(100);
        }
    }

    public const string NotificationsQuery = """
        { notifications(first: 50) { edges { cursor node { id kind read title text url channelId channelUsername actorUsername streamTitle categorySlug securityKind detail } } pageInfo { hasNextPage endCursor } } }
        """;

    /// <summary>Polls a scalar SQL query until it returns <paramref name="expected"/>.</summary>
    public async Task<T> WaitForSqlAsync<T>(string sql, Func<T, bool> done, object? parameters = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await ScalarAsync<T>(sql, parameters);
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still {value} from: {sql}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters = null)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var property in parameters?.GetType().GetProperties() ?? [])
        {
            command.Parameters.AddWithValue(property.Name, property.GetValue(parameters)!);
        }

        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();

    [GeneratedRegex(@"^https://t\.me/wg_test_bot\?start=([A-Za-z0-9_-]{32})$")]
    private static partial Regex DeepLink();
}

/// <summary>
/// The same, with the bot in webhook mode (updates arrive at <c>POST /webhooks/telegram/{secret}</c>)
/// and deliveries given up after <see cref="MaxAttempts"/>.
/// </summary>
public sealed class WebhookNotificationsFixture : NotificationsFixture
{
    public const int MaxAttempts = 3;

    protected override string TelegramMode => "Webhook";

    protected override IDictionary<string, string> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["WG_Notifications__MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture);
            return settings;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsFixture>
{
    public const string Name = "Notifications";
}
