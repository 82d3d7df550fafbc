namespace WgStream.Api.GraphQL;

/// <summary>Bound from the <c>GraphQL</c> section.</summary>
public sealed class GraphQLOptions
{
    public const string Section = "GraphQL";

    /// <summary>Deep enough for the standard introspection query (13 levels), no deeper.</summary>
    public int MaxDepth { get; set; } = 15;

    /// <summary>Highest complexity (fields weighted by the lists they sit in) a document may have before it runs; more is <c>QUERY_TOO_COMPLEX</c>.</summary>
    public int MaxComplexity { get; set; } = 2000;

    /// <summary>
    /// Fields a document may select, counted with every fragment spread expanded, over all its
    /// operations. GraphiQL's introspection query is about 150; the web client's largest, 60.
    /// </summary>
    public int MaxSelections { get; set; } = 2000;

    /// <summary>Aliased fields a document may have, fragments expanded.</summary>
    public int MaxAliases { get; set; } = 100;

    /// <summary>Fragment spreads a document may contain, as written.</summary>
    public int MaxFragmentSpreads { get; set; } = 200;

    /// <summary>Directives (<c>@include</c>, <c>@skip</c>, …) a document may contain, as written (checking them is quadratic per location).</summary>
    public int MaxDirectives { get; set; } = 100;

    /// <summary>
    /// Values one operation may resolve (every field of every list item counts): the bound on what
    /// an answer costs to build and to hold, whatever its static cost said. The full introspection
    /// of this schema is about 12,000.
    /// </summary>
    public int MaxResultNodes { get; set; } = 50_000;

    /// <summary>Largest serialized answer to a query or mutation; a larger one is refused with RESPONSE_TOO_LARGE.</summary>
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A query still running after this is cancelled (resolvers get the cancellation) and answered with TIMEOUT. Mutations run to the end: their grain calls would go on after the answer.</summary>
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether anonymous clients may run introspection (<c>__schema</c>, <c>__type</c>; <c>__typename</c>
    /// is always allowed). On by default for development and GraphiQL; turn it off in production
    /// (deploy/k8s does), where signed-in developers still can.
    /// </summary>
    public bool AnonymousIntrospection { get; set; } = true;

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
