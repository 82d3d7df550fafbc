using GraphQLParser;
using Microsoft.Extensions.Options;
using WgStream.Api.GraphQL;

namespace WgStream.Tests.GraphQL;

/// <summary>
/// Anyone can send valid documents that differ by a character; the cache must not grow with them.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class DocumentCacheBoundTests
{
    [Fact]
    public async Task A_flood_of_distinct_documents_stays_within_the_character_limit_and_keeps_the_one_in_use()
    {
        const int limit = 100_000;
        using var cache = new DocumentCache(Options.Create(new GraphQLOptions { DocumentCacheChars = limit }));
        var page = "query ChannelPage($u: String!) { channel(username: $u) { id username displayName bio } }";
        cache.Add(page, Cached(page));

        var padding = new string(' ', 900);
        for (var i = 0; i < 5_000; i++)
        {
            // About 1,000 characters each: 5,000,000 characters sent in all, fifty times the limit.
            var query = $"query Flood{i} {{ liveChannels(first: 20) {{ edges {{ cursor }} }} }}{padding}";
            cache.Add(query, Cached(query));
            Assert.NotNull(cache.Find(page));
            Assert.True(cache.CachedChars <= limit, $"{cache.CachedChars} characters cached after {i + 1} documents.");
            if (i % 500 == 0)
            {
                // Compaction runs in the background once an entry is refused; give it a moment.
                await Task.Delay(1);
            }
        }

        Assert.NotNull(cache.Find(page));
        Assert.True(cache.CachedChars <= limit);
    }

    private static CachedDocument Cached(string query)
    {
        var document = Parser.Parse(query);
        return new CachedDocument(document, DocumentShape.Measure(document));
    }
}
