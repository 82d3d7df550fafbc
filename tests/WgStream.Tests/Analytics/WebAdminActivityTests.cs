using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Analytics;

/// <summary>
/// The operators' Activity tab in a browser: the last hour at the shipped one-minute interval (a
/// point per minute, zeros where nothing was live), what is live now, charted, and read again by itself.
/// </summary>
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebAdminActivityTests(WebAdminFixture fixture) : IClassFixture<WebAdminFixture>
{
    [Fact]
    public async Task An_operator_sees_the_last_hour_of_the_platform_charted()
    {
        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        await admin.GotoAsync("/login");
        var form = admin.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(fixture.Operator.Username);
        await form.Locator("input[name=password]").FillAsync(WebClientTests.Password);
        await admin.GetByTestId("auth-submit").ClickAsync();
        // The TOTP of the next step: the one that turned 2FA on is used up.
        await form.Locator("input[name=totpCode]").FillAsync(fixture.OperatorTotp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await admin.GetByTestId("auth-submit").ClickAsync();
        await Expect(admin.GetByTestId("whoami")).ToHaveTextAsync(fixture.Operator.Username);

        var reads = 0;
        admin.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/graphql", StringComparison.Ordinal) && request.PostData?.Contains("documentId", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref reads);
            }
        };
        await admin.GotoAsync("/admin/activity");
        var tab = admin.GetByTestId("admin-activity");
        await Expect(tab).ToBeVisibleAsync();
        // 60 minutes of points (59 when the current minute's samples are not all written yet).
        var points = int.Parse((await tab.GetAttributeAsync("data-points"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(points, 59, 60);
        await Expect(admin.GetByTestId("admin-live-now")).ToHaveTextAsync("0");
        await Expect(admin.GetByTestId("admin-chat-rate")).ToHaveTextAsync("0");
        foreach (var chart in new[] { "admin-chart-live", "admin-chart-chat", "admin-chart-ingest" })
        {
            await Expect(admin.GetByTestId(chart)).ToHaveAttributeAsync("data-ready", "true");
        }

        // Read again within the 10 s refresh, without a reload.
        var before = Volatile.Read(ref reads);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (Volatile.Read(ref reads) == before)
        {
            Assert.True(DateTime.UtcNow < deadline, "The activity was not read again.");
            await Task.Delay(200);
        }
    }
}
