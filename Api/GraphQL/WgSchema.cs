using GraphQL.Types;

namespace WgStream.Api.GraphQL;

/// <summary>
/// The schema: each feature contributes its fields to the three root types through an
/// <see cref="ISchemaContributor"/>, so adding a feature never means editing a central file.
/// </summary>
public sealed class WgSchema : Schema
{
    public WgSchema(IServiceProvider services, RootQuery query, RootMutation mutation, RootSubscription subscription)
        : base(services)
    {
        Query = query;
        Mutation = mutation;
        Subscription = subscription;
    }
}

public interface ISchemaContributor
{
    void AddQueries(ObjectGraphType query)
    {
    }

    void AddMutations(ObjectGraphType mutation)
    {
    }

    void AddSubscriptions(ObjectGraphType subscription)
    {
    }
}

public sealed class RootQuery : ObjectGraphType
{
    public RootQuery(IEnumerable<ISchemaContributor> contributors)
    {
        Name = "Query";
        foreach (var contributor in contributors)
        {
            contributor.AddQueries(this);
        }
    }
}

public sealed class RootMutation : ObjectGraphType
{
    public RootMutation(IEnumerable<ISchemaContributor> contributors)
    {
        Name = "Mutation";
        foreach (var contributor in contributors)
        {
            contributor.AddMutations(this);
        }
    }
}

public sealed class RootSubscription : ObjectGraphType
{
    public RootSubscription(IEnumerable<ISchemaContributor> contributors)
    {
        Name = "Subscription";
        foreach (var contributor in contributors)
        {
            contributor.AddSubscriptions(this);
        }
    }
}
