using System.Globalization;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

/// <summary>The real Api pointed at a <see cref="FakeStripeServer"/>, with a low follower threshold for verification.</summary>
public class SponsorshipFixture : ApiFixture
{
    public const int VerifyAtFollowers = 3;

    public FakeStripeServer Stripe { get; } = new();

    public HttpClient Http { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(ExtraSettings)
    {
        ["WG_Stripe__SecretKey"] = FakeStripeServer.SecretKey,
        ["WG_Stripe__WebhookSecret"] = StripeWebhooks.Secret,
        ["WG_Stripe__ApiBase"] = Stripe.BaseUrl.ToString(),
        ["WG_Stripe__SuccessUrl"] = "https://wg.example/{CHANNEL}?sponsorship=success&session_id={CHECKOUT_SESSION_ID}",
        ["WG_Stripe__CancelUrl"] = "https://wg.example/{CHANNEL}?sponsorship=cancelled",
        ["WG_Rewards__VerifyAtFollowers"] = VerifyAtFollowers.ToString(CultureInfo.InvariantCulture),
        ["WG_Chat__BadgeCacheTime"] = "00:00:00.100",
    };

    protected virtual IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>();

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await base.InitializeAsync();
        Http = new HttpClient { BaseAddress = Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public override async Task DisposeAsync()
    {
        Http?.Dispose();
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    /// <summary>A streamer with a 5.00 usd plan and a fan who opened a checkout for it.</summary>
    public async Task<(GraphQLClient Streamer, GraphQLClient Fan, Checkout Checkout)> CheckoutAsync(long price = 500)
    {
        var streamer = CreateClient();
        await streamer.RegisterAsync();
        var plan = await CreatePlanAsync(streamer, "Supporter", price);
        var fan = CreateClient();
        await fan.RegisterAsync();
        return (streamer, fan, await OpenCheckoutAsync(fan, plan));
    }

    public static async Task<string> CreatePlanAsync(GraphQLClient owner, string title, long price, string currency = "usd")
    {
        var data = await owner.DataAsync(
            "mutation($i: CreateSponsorshipPlanInput!) { createSponsorshipPlan(input: $i) { id } }",
            new { i = new { title, description = $"{title} tier", price, currency } });
        return data.GetProperty("createSponsorshipPlan").GetProperty("id").GetString()!;
    }

    /// <summary>Opens a checkout and reads back, from the fake Stripe server, the metadata the platform sent with it.</summary>
    public async Task<Checkout> OpenCheckoutAsync(GraphQLClient payer, string planId)
    {
        var result = (await payer.DataAsync(
            "mutation($p: ID!) { createSponsorshipCheckout(planId: $p) { url sessionId transactionId } }", new { p = planId }))
            .GetProperty("createSponsorshipCheckout");
        var checkout = Stripe.Checkout(result.GetProperty("sessionId").GetString()!);
        Assert.Equal(Guid.Parse(result.GetProperty("transactionId").GetString()!), checkout.TransactionId);
        Assert.Equal(result.GetProperty("url").GetString(), checkout.Url);
        return checkout;
    }

    /// <summary>checkout.session.completed (paid) and the first invoice.paid, in that order; returns the subscription id.</summary>
    public Task<string> PayAsync(Checkout checkout, string? invoiceId = null, long amount = 500, string currency = "usd") =>
        StripeWebhooks.PayAsync(Http, checkout, invoiceId, amount, currency);

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Database.DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(result!, typeof(T), CultureInfo.InvariantCulture);
    }

    public Task<string> TransactionStatusAsync(Guid transactionId) =>
        ScalarAsync<string>("SELECT status FROM transactions WHERE transaction_id = @id", ("id", transactionId));

    public static async Task<JsonElement?> MySponsorshipAsync(GraphQLClient payer, Guid channelId)
    {
        var list = (await payer.DataAsync("{ mySponsorships { channelId status since expiresAt autoRenew planTitle } }")).GetProperty("mySponsorships");
        return list.EnumerateArray().Where(s => s.GetProperty("channelId").GetString() == channelId.ToString()).Select(s => (JsonElement?)s).FirstOrDefault();
    }

    public static async Task<List<string>> SponsorIdsAsync(GraphQLClient client, Guid channelId)
    {
        var page = (await client.DataAsync("query($c: ID!) { channelSponsors(channelId: $c, first: 50) { edges { node { sponsorId } } } }", new { c = channelId }))
            .GetProperty("channelSponsors");
        return page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("sponsorId").GetString()!).ToList();
    }
}

/// <summary>Sponsorship periods of eight seconds with no renewal grace, to watch expiry happen.</summary>
public sealed class ShortPeriodSponsorshipFixture : SponsorshipFixture
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(8);

    protected override IReadOnlyDictionary<string, string> ExtraSettings { get; } = new Dictionary<string, string>
    {
        ["WG_Sponsorship__FixedPeriod"] = Period.ToString("c", CultureInfo.InvariantCulture),
        ["WG_Sponsorship__RenewalGrace"] = "00:00:00",
    };
}

[CollectionDefinition(Name)]
public sealed class SponsorshipCollection : ICollectionFixture<SponsorshipFixture>
{
    public const string Name = "Sponsorship";
}
