using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Notifications;

/// <summary>The plain Api fixture has no Telegram bot: clients are told so before they try, and linking is refused plainly.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class TelegramUnavailableTests(ApiFixture fixture)
{
    [Fact]
    public async Task Without_a_bot_settings_say_telegram_is_unavailable_and_connecting_is_not_found()
    {
        var client = fixture.CreateClient();
        await client.RegisterAsync();

        var settings = (await client.DataAsync("{ notificationSettings { telegramAvailable telegramLinked } }")).GetProperty("notificationSettings");
        Assert.False(settings.GetProperty("telegramAvailable").GetBoolean());
        Assert.False(settings.GetProperty("telegramLinked").GetBoolean());

        var refused = await client.SendAsync("mutation { connectTelegram { url } }");
        refused.AssertError("NOT_FOUND");
        Assert.Contains("not available", refused.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
