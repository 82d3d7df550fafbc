using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Web;

/// <summary>GraphiQL is bundled into the Api's web root: it loads and runs queries with no internet.</summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebGraphiQLTests(WebFixture fixture)
{
    [Fact]
    public async Task GraphiQL_runs_a_query_with_every_request_off_this_machine_blocked()
    {
        await using var context = await fixture.NewContextAsync();
        var blocked = new List<string>();
        await context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Host == "127.0.0.1")
            {
                await route.ContinueAsync();
                return;
            }

            lock (blocked)
            {
                blocked.Add(route.Request.Url);
            }

            await route.AbortAsync();
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        var response = await page.GotoAsync("/graphiql");
        Assert.Equal(200, response!.Status);
        // Its policy names no other origin (it used to allow a CDN's).
        var policy = await response.HeaderValueAsync("Content-Security-Policy");
        Assert.NotNull(policy);
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);

        // CodeMirror reads what lands in its hidden textarea: replace the default document with ours.
        var editor = page.Locator(".graphiql-query-editor .CodeMirror");
        await editor.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.InsertTextAsync("query Offline { __typename categories { slug } }");
        await page.Locator(".graphiql-execute-button").ClickAsync();

        var result = page.Locator(".result-window");
        await Expect(result).ToContainTextAsync("\"__typename\": \"Query\"");
        await Expect(result).ToContainTextAsync("\"categories\": [");

        lock (blocked)
        {
            Assert.Empty(blocked);
        }

        Assert.Empty(errors);
    }
}
