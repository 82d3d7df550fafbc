using System.Net;
using System.Net.Http.Json;

namespace WgStream.Tests.Notifications;

/// <summary>Webhook mode: Telegram POSTs updates to <c>/webhooks/telegram/{secret}</c>; replies still go out through the Bot API.</summary>
public sealed class TelegramWebhookTests : IAsyncLifetime
{
    private readonly WebhookNotificationsFixture fixture = new();

    public Task InitializeAsync() => fixture.InitializeAsync();

    public Task DisposeAsync() => fixture.DisposeAsync();

    [Fact]
    public async Task Updates_posted_to_the_secret_path_link_the_chat()
    {
        const long chat = 4242;
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var url = (await client.DataAsync("mutation { connectTelegram { url } }")).GetProperty("connectTelegram").GetProperty("url").GetString()!;
        var update = new
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
}
