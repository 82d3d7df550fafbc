using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Parsed documents that passed validation once, by their exact query text. A channel page, the web
/// client and a subscription send the same few documents over and over; a hit skips parsing and the
/// validation rules, which are most of a small request's cost. Only a document that validated goes
/// in, and only the identical text gets it back, so one request's document (and the fact that it
/// is valid) is never served for another. Rules whose outcome depends on the request's variables
/// (the complexity analysis) still run on every hit; variables are coerced per request as always.
/// Bounded by the total length of the cached texts (<see cref="GraphQLOptions.DocumentCacheChars"/>),
/// least recently used out first; the schema does not change at run time, so nothing else evicts.
/// </summary>
public sealed class DocumentCache : IDisposable
{
    private readonly MemoryCache cache;

    public DocumentCache(IOptions<GraphQLOptions> options) =>
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.DocumentCacheChars), TrackStatistics = true });

    /// <summary>The total length of the texts held now (never above the limit: an entry that does not fit is refused).</summary>
    public long CachedChars => cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public CachedDocument? Find(string query) => cache.TryGetValue<CachedDocument>(query, out var document) ? document : null;

    public void Add(string query, CachedDocument document) =>
        cache.Set(query, document, new MemoryCacheEntryOptions { Size = query.Length });

    public void Dispose() => cache.Dispose();
}

/// <summary>A document that validated, with what <see cref="DocumentShape"/> counted in it (the introspection check is per client).</summary>
public sealed record CachedDocument(GraphQLDocument Document, DocumentShape Shape);
