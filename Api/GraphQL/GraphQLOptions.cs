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
