using System.Net;
using System.Net.Http.Json;

namespace WgStream.Tests.Notifications;

/// <summary>
/// Webhook mode: Telegram POSTs updates to <c>/webhooks/telegram/{secret}</c>; replies still go out
/// through the Bot API. This Api also gives deliveries up after three attempts.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class TelegramWebhookTests(WebhookNotificationsFixture fixture) : IClassFixture<WebhookNotificationsFixture>
{
    [Fact]
    public async Task Updates_posted_to_the_secret_path_link_the_chat()
    {
        const long chat = 4242;
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var update = await StartUpdateAsync(client, chat);
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/webhooks/telegram/wrong-secret", update)).StatusCode);
        using (var wrongHeader = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{fixture.WebhookSecret}") { Content = JsonContent.Create(update) })
        {
            wrongHeader.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "nope");
            Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(wrongHeader)).StatusCode);
        }

        Assert.Empty(fixture.Telegram.SentTo(chat));

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/telegram/{fixture.WebhookSecret}") { Content = JsonContent.Create(update) };
        request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", fixture.WebhookSecret);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

        // The account's language is English (the registration's), so is the reply.
        var reply = await fixture.Telegram.WaitForMessageAsync(chat, t => t.Contains("connected to", StringComparison.Ordinal));
        Assert.Contains(account.Username, reply.Text, StringComparison.Ordinal);
        Assert.True((await client.DataAsync("{ notificationSettings { telegramLinked } }")).GetProperty("notificationSettings").GetProperty("telegramLinked").GetBoolean());
        // Webhook mode never polls.
        Assert.DoesNotContain("getUpdates", fixture.Telegram.Calls);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_given_up_after_the_last_attempt()
    {
        const long chat = 4343;
        var owner = fixture.CreateClient();
        var ownerAccount = await owner.RegisterAsync();
        using (var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress })
        {
            var linked = await http.PostAsJsonAsync($"/webhooks/telegram/{fixture.WebhookSecret}", await StartUpdateAsync(owner, chat));
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }

        await fixture.Telegram.WaitForMessageAsync(chat, t => t.Contains("connected to", StringComparison.Ordinal));
        fixture.Telegram.FailNext(chat, int.MaxValue);
        var fan = fixture.CreateClient();
        await fan.RegisterAsync();
        await fan.DataAsync("mutation($c: ID!) { follow(channelId: $c) { followerCount } }", new { c = ownerAccount.Id });

        var attempts = await fixture.WaitForSqlAsync<int>(
            "SELECT attempts FROM notification_outbox WHERE user_id = @u AND medium = 'telegram' AND status = 'failed'", n => n > 0, new { u = ownerAccount.Id });
        Assert.Equal(WebhookNotificationsFixture.MaxAttempts, attempts);
        Assert.Equal(WebhookNotificationsFixture.MaxAttempts, fixture.Telegram.FailedTo(chat).Count);
        Assert.DoesNotContain(fixture.Telegram.SentTo(chat), m => m.Text.Contains("followed", StringComparison.Ordinal));
    }

    /// <summary>A <c>/start</c> update with a fresh deep-link token of the signed-in user.</summary>
    private static async Task<object> StartUpdateAsync(Infrastructure.GraphQLClient client, long chat)
    {
        var url = (await client.DataAsync("mutation { connectTelegram { url } }")).GetProperty("connectTelegram").GetProperty("url").GetString()!;
        return new
        {
            update_id = 1,
            message = new
            {
                message_id = 1,
                date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                chat = new { id = chat, type = "private" },
                from = new { id = chat, is_bot = false, first_name = "Test", language_code = "uk" },
                text = $"/start {NotificationsFixture.StartToken(url)}",
            },
        };
    }
}
