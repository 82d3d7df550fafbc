using WgStream.Tests.Infrastructure;
using WgStream.Tests.Notifications;
using WgStream.Tests.Sponsorship;

namespace WgStream.Tests.Fuzz;

/// <summary>
/// An Api with every outside-facing endpoint switched on (Stripe and Telegram webhooks, the ingest
/// callbacks with their secret), so junk reaches the code behind each one rather than a "not
/// configured" answer; cheap password hashing so login mutations do not dominate the run.
/// </summary>
public sealed class FuzzFixture : SponsorshipFixture
{
    public const string IngestSecret = "fuzz-ingest-secret";

    public const string TelegramSecret = "fuzz-telegram-secret";

    /// <summary>Fixed so a failure replays; <c>WG_FUZZ_SEED</c> explores other cases.</summary>
    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("WG_FUZZ_SEED"), out var seed) ? seed : 20261203;

    public FakeTelegramBotApi Telegram { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["WG_Streams__IngestSecret"] = IngestSecret,
        ["WG_Telegram__BotToken"] = FakeTelegramBotApi.Token,
        ["WG_Telegram__BotUsername"] = FakeTelegramBotApi.BotUsername,
        ["WG_Telegram__Mode"] = "Webhook",
        ["WG_Telegram__WebhookSecret"] = TelegramSecret,
        ["WG_Telegram__ApiBaseUrl"] = Telegram.BaseUrl.ToString().TrimEnd('/'),
        ["WG_Accounts__Argon2MemoryKiB"] = "1024",
        ["WG_Accounts__Argon2Iterations"] = "1",
    };

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

    /// <summary>
    /// Lines the server logged at Error or Critical since <paramref name="from"/> (an offset into its
    /// output): junk from outside is the client's problem and must not be reported as ours.
    /// </summary>
    /// <summary>A client's mistake is not the server's error: nothing at fail or crit since <paramref name="from"/>.</summary>
    public void AssertNoErrorsLoggedSince(int from)
    {
        var errors = ErrorsLoggedSince(from);
        Assert.True(errors.Count == 0, $"the server logged {errors.Count} errors:\n{string.Join('\n', errors.Take(10))}");
    }

    private IReadOnlyList<string> ErrorsLoggedSince(int from)
    {
        var output = Api.Output;
        var lines = output[Math.Min(from, output.Length)..].Split('\n');
        // The console logger writes the category line, then the message and the exception indented below it.
        return lines
            .Select((line, i) => (line, i))
            .Where(l => l.line.StartsWith("fail:", StringComparison.Ordinal) || l.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(l => string.Join('\n', lines.Skip(l.i).Take(4)))
            .ToList();
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzFixture>
{
    public const string Name = "Fuzz";
}
