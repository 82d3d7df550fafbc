namespace WgStream.Api.GraphQL;

/// <summary>Bound from the <c>GraphQL</c> section.</summary>
public sealed class GraphQLOptions
{
    public const string Section = "GraphQL";

    /// <summary>Deep enough for the standard introspection query (13 levels), no deeper.</summary>
    public int MaxDepth { get; set; } = 15;

    public int MaxComplexity { get; set; } = 2000;

    /// <summary>
    /// Validated documents kept for reuse, as the total length of their query texts (a parsed
    /// document takes roughly ten times its text in memory, so the default is about 10 MB).
    /// </summary>
    public int DocumentCacheChars { get; set; } = 1_000_000;

    /// <summary>
    /// Refuse a document's text from anonymous clients (<c>PERSISTED_QUERY_REQUIRED</c>); they may
    /// only run the web client's persisted documents by id. Signed-in users (developers with
    /// GraphiQL, scripts with a token) still send any document. Off by default; see docs/graphql.md
    /// for when to turn it on.
    /// </summary>
    public bool PersistedOnly { get; set; }

    /// <summary>Where the persisted documents are; empty means <c>wwwroot/app/persisted-documents.json</c>, where the web build puts them.</summary>
    public string? PersistedDocumentsPath { get; set; }

    /// <summary>Largest request body accepted on <c>POST /graphql</c>.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>graphql-transport-ws: a socket that does not send connection_init this quickly is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Active subscriptions one socket may hold.</summary>
    public int MaxSubscriptionsPerSocket { get; set; } = 100;

    /// <summary>
    /// graphql-transport-ws: bytes that may wait to be sent to one socket. A client that falls this
    /// far behind is closed with 4008 (it reconnects and reloads), so a slow reader costs the node
    /// at most this much memory and never holds up anyone else.
    /// </summary>
    public int SocketSendBudgetBytes { get; set; } = 512 * 1024;

    /// <summary>graphql-transport-ws: a write that the client does not take within this time (it stopped reading) aborts the socket.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
