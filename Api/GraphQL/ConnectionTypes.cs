using GraphQL.Types;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

public sealed class PageInfo
{
    public bool HasNextPage { get; init; }

    public string? EndCursor { get; init; }
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        Field(x => x.HasNextPage);
        Field(x => x.EndCursor, nullable: true);
    }
}

/// <summary>A Relay connection whose nodes are <typeparamref name="TNode"/>, from a grain's page.</summary>
/// <param name="endCursor">Where the next page starts, when that is past the last edge shown (edges this viewer may not see were left out).</param>
public sealed class Connection<TNode>(IReadOnlyList<ConnectionEdge<TNode>> edges, bool hasNextPage, string? endCursor = null)
{
    public IReadOnlyList<ConnectionEdge<TNode>> Edges { get; } = edges;

    public PageInfo PageInfo { get; } = new() { HasNextPage = hasNextPage, EndCursor = endCursor ?? (edges.Count > 0 ? edges[^1].Cursor : null) };

    public static Connection<TNode> From(Page<TNode> page) =>
        new(page.Edges.Select(e => new ConnectionEdge<TNode>(e.Cursor, e.Node)).ToList(), page.HasNextPage);
}

public sealed record ConnectionEdge<TNode>(string Cursor, TNode Node);

/// <summary>The edge of a Relay connection: <c>cursor</c> and <c>node</c> (subclasses may add fields).</summary>
public abstract class EdgeType<TNodeType, TNode> : ObjectGraphType<ConnectionEdge<TNode>>
    where TNodeType : IGraphType
{
    protected EdgeType(string name)
    {
        Name = name;
        Field(x => x.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}

/// <summary>A Relay connection: <c>edges</c> and <c>pageInfo</c>.</summary>
public abstract class ConnectionType<TEdgeType, TNode> : ObjectGraphType<Connection<TNode>>
    where TEdgeType : IGraphType
{
    protected ConnectionType(string name)
    {
        Name = name;
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TEdgeType>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
    }
}

public static class Ids
{
    public static Guid Parse(string? value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw WgException.BadInput($"{field} is not a valid id.", field);

    /// <summary>Null for an omitted argument; otherwise it must be an id.</summary>
    public static Guid? ParseOptional(string? value, string field) => value is null ? null : Parse(value, field);
}
