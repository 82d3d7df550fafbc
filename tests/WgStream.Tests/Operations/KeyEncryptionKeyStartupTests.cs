using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// A real Api process in Production (the default environment, as deployed) will not start without
/// <c>Streams:KeyEncryptionKey</c>, and does with one.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class KeyEncryptionKeyStartupTests
{
    [Fact]
    public async Task A_production_api_without_the_key_refuses_to_start_and_says_what_to_set()
    {
        await using var database = await TestDatabase.CreateAsync();
        var settings = new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = database.ConnectionString,
            ["WG_Mail__Mode"] = "Pickup",
        };

        // Empty, as a deployment that forgot it (docker-compose's "${VAR:-}") passes it.
        await using (var withoutKey = new ApiProcess(new Dictionary<string, string>(settings) { ["WG_Streams__KeyEncryptionKey"] = string.Empty }))
        {
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(withoutKey.StartAsync);
            Assert.Contains("exited with", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Streams:KeyEncryptionKey is not set, and this host runs in Production", refused.Message, StringComparison.Ordinal);
            Assert.Contains("WG_Streams__KeyEncryptionKey", refused.Message, StringComparison.Ordinal);
            Assert.Contains("openssl rand -base64 32", refused.Message, StringComparison.Ordinal);
        }

        // The same host with a key (ApiProcess sets one unless told otherwise) starts and answers.
        await using var withKey = new ApiProcess(settings);
        await withKey.StartAsync();
        using var http = new HttpClient { BaseAddress = withKey.BaseAddress };
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
    }
}
