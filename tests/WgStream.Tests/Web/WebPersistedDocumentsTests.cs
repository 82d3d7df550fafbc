using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Web;

/// <summary>The built web client talks to the Api by persisted document id, and the Api knows every id the build produced.</summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebPersistedDocumentsTests(WebFixture fixture)
{
    [Fact]
    public async Task The_web_client_sends_document_ids_the_Api_loaded_from_its_build()
    {
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(
            await File.ReadAllTextAsync(Path.Combine(WebFixture.WebRoot, "app", "persisted-documents.json")))!;
        Assert.NotEmpty(manifest);

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var sent = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.EndsWith("/graphql", StringComparison.Ordinal) && request.Method == "POST" && request.PostData is { } body)
            {
                lock (sent)
                {
                    sent.Add(body);
                }
            }
        };
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("nobody-live")).ToBeVisibleAsync();

        string[] bodies;
        lock (sent)
        {
            bodies = [.. sent];
        }

        Assert.NotEmpty(bodies);
        foreach (var body in bodies)
        {
            var request = JsonDocument.Parse(body).RootElement;
            Assert.False(request.TryGetProperty("query", out _), $"The client sent a document's text: {body}");
            Assert.Contains(request.GetProperty("documentId").GetString()!, manifest.Keys);
        }

        // And the Api runs every one of them by id (here: each query that needs no variables), as
        // its warm-up did before it said it was ready (WebFixture waits for that).
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var ready = JsonDocument.Parse(await http.GetStringAsync(new Uri("/readyz", UriKind.Relative))).RootElement;

        // How many depends on how fast the JIT settles (WarmUp:Requests bounds it); at least one round of 200 ran.
        var warmUp = ready.GetProperty("checks").GetProperty("warm-up").GetString()!;
        Assert.Matches(@"^done, \d+ requests$", warmUp);
        Assert.True(int.Parse(warmUp.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 200, warmUp);
        foreach (var (id, text) in manifest.Where(d => d.Value.StartsWith("query ", StringComparison.Ordinal) && !d.Value.Contains('$', StringComparison.Ordinal)))
        {
            using var response = await http.PostAsJsonAsync("/graphql", new { documentId = id });
            var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.True(root.TryGetProperty("data", out _), $"{text}: {root}");
            if (root.TryGetProperty("errors", out var errors))
            {
                Assert.DoesNotContain("PERSISTED_QUERY", errors.ToString(), StringComparison.Ordinal);
            }
        }
    }
}
