using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Notifications;

namespace WgStream.Tests.Notifications;

/// <summary>The texts in both languages, and the e-mail's two parts.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class NotificationTextTests
{
    private const string Site = "https://wg.example/";

    [Fact]
    public void Go_live_reads_in_Ukrainian_and_English_and_links_the_channel()
    {
        var content = new NotificationContent(ChannelUsername: "alice", ChannelDisplayName: "Alice", StreamTitle: "Спідран", CategoryNameEn: "Games", CategoryNameUk: "Ігри");

        var uk = NotificationText.Render(NotificationKind.StreamStarted, content, "uk-UA", Site);
        Assert.Equal("Alice в ефірі: Спідран", uk.Title);
        Assert.Equal("Alice розпочинає трансляцію «Спідран» у категорії «Ігри».", uk.Body);
        Assert.Equal("https://wg.example/alice", uk.Url);

        var en = NotificationText.Render(NotificationKind.StreamStarted, content, "en", Site);
        Assert.Equal("Alice is live: Спідран", en.Title);
        Assert.Contains("in Games", en.Body, StringComparison.Ordinal);

        var telegram = NotificationText.Telegram(NotificationKind.StreamStarted, content, "uk", Site);
        Assert.EndsWith("\nhttps://wg.example/alice", telegram, StringComparison.Ordinal);
    }

    [Fact]
    public void E_mail_has_text_and_escaped_html_parts_in_the_users_language()
    {
        var content = new NotificationContent(ActorUsername: "bob<script>", ChannelUsername: "alice");
        var mail = NotificationMail.Compose(NotificationKind.NewFollower, content, new NotificationContact("alice", "alice@example.test", true, "uk"), "WG <no-reply@wg.example>", Site);

        Assert.Equal("bob<script> стежить за вашим каналом", mail.Subject);
        Assert.Contains("Вітаємо, alice!", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://wg.example/settings/notifications", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("bob&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"uk\">", mail.HtmlBody, StringComparison.Ordinal);

        var security = NotificationMail.Compose(
            NotificationKind.Security, new NotificationContent(SecurityKind: SecurityNoticeKind.NewLogin, Detail: "192.0.2.1, Firefox"),
            new NotificationContact("alice", "alice@example.test", true, "en"), "WG <no-reply@wg.example>", Site);
        Assert.Equal("New sign-in to your account", security.Subject);
        Assert.Contains("(192.0.2.1, Firefox)", security.TextBody, StringComparison.Ordinal);
        Assert.Contains("always sent", security.TextBody, StringComparison.Ordinal);
    }
}
