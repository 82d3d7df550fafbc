namespace WgStream.Api.GraphQL;

/// <summary>Bound from the <c>GraphQL</c> section.</summary>
public sealed class GraphQLOptions
{
    public const string Section = "GraphQL";

    /// <summary>Deep enough for the standard introspection query (13 levels), no deeper.</summary>
    public int MaxDepth { get; set; } = 15;

    public int MaxComplexity { get; set; } = 2000;

    /// <summary>Largest request body accepted on <c>POST /graphql</c>.</summary>
    public int MaxRequestBytes { get; set; } = 256 * 1024;

    /// <summary>graphql-transport-ws: a socket that does not send connection_init this quickly is closed with 4408.</summary>
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Active subscriptions one socket may hold.</summary>
    public int MaxSubscriptionsPerSocket { get; set; } = 100;
}
