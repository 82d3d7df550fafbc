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
public sealed class Connection<TNode>(IReadOnlyList<ConnectionEdge<TNode>> edges, bool hasNextPage)
{
    public IReadOnlyList<ConnectionEdge<TNode>> Edges { get; } = edges;

    public PageInfo PageInfo { get; } = new() { HasNextPage = hasNextPage, EndCursor = edges.Count > 0 ? edges[^1].Cursor : null };

    public static Connection<TNode> From(Page<TNode> page) =>
        new(page.Edges.Select(e => new ConnectionEdge<TNode>(e.Cursor, e.Node)).ToList(), page.HasNextPage);
}

public sealed record ConnectionEdge<TNode>(string Cursor, TNode Node);

public static class Ids
{
    public static Guid Parse(string? value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw WgException.BadInput($"{field} is not a valid id.", field);
}
