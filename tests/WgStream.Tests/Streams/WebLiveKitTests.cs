using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Streams;

/// <summary>
/// The web client against an Api with <c>Streams:Provider = LiveKit</c> and <see cref="FakeLiveKit"/>
/// (no LiveKit server here): the channel page of a LiveKit broadcast tries to join the room with a
/// viewer token, and says it could not.
/// </summary>
public sealed class WebLiveKitFixture : LiveKitFixture
{
    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["ASPNETCORE_WEBROOT"] = WebFixture.WebRoot,
    };

    public override async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebFixture.WebRoot, "app", "index.html")))
        {
            throw new InvalidOperationException("The web client is not built: run ./wg web (./wg test does).");
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        await base.InitializeAsync();
        await Api.WaitReadyAsync(TimeSpan.FromSeconds(60));
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = WebFixture.Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebLiveKitCollection : ICollectionFixture<WebLiveKitFixture>
{
    public const string Name = "WebLiveKit";
}

[Collection(WebLiveKitCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebLiveKitTests(WebLiveKitFixture fixture)
{
    [Fact]
    public async Task The_channel_page_of_a_livekit_broadcast_joins_the_room_with_a_viewer_token()
    {
        var streamer = await fixture.CreateClient().RegisterAsync();
        var room = streamer.Id.ToString("N");
        fixture.LiveKit.Publish(room, "IN_web1");
        try
        {
            Assert.Equal(HttpStatusCode.OK, await fixture.PostSignedWebhookAsync(LiveKitFixture.IngressEvent("ingress_started", "IN_web1", streamer.Id)));
            await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.Api.BaseAddress.ToString(), Locale = "en-US" });
            var console = new ConcurrentQueue<string>();
            context.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/{streamer.Username}");

            await Expect(page.GetByTestId("live-badge")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("player")).ToHaveAttributeAsync("data-mode", "livekit");

            // It dials LiveKit's signalling endpoint (/rtc) on the server the token query named, with
            // that token: the page's Content-Security-Policy lets it connect there.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (!fixture.LiveKit.Requests.Any(r => r.Path.StartsWith("/rtc", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, $"The player never dialled LiveKit.\n{string.Join('\n', console)}");
                await Task.Delay(100);
            }

            var dial = fixture.LiveKit.Requests.First(r => r.Path.StartsWith("/rtc", StringComparison.Ordinal));
            var token = HttpUtility.ParseQueryString(dial.Query)["access_token"];
            Assert.NotNull(token);
            var payload = fixture.Validate(token);
            Assert.StartsWith("viewer-", payload.Sub, StringComparison.Ordinal);
            var video = JsonDocument.Parse(JsonSerializer.Serialize(payload["video"])).RootElement;
            Assert.Equal(room, video.GetProperty("room").GetString());
            Assert.False(video.GetProperty("canPublish").GetBoolean());

            // There is no LiveKit server behind the fake: the page says so (and keeps trying).
            await Expect(page.GetByTestId("livekit-state")).ToContainTextAsync("Could not play the stream", new() { Timeout = 30_000 });
            await Expect(page.GetByTestId("player")).ToHaveAttributeAsync("data-state", "failed");
        }
        finally
        {
            fixture.LiveKit.CloseRoom(room);
        }
    }
}
