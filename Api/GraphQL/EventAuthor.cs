using GraphQL;
using GraphQL.Execution;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.GraphQL;

/// <summary>Who wrote the live event a subscription result was executed for, so it can be kept from those who blocked them.</summary>
public static class EventAuthor
{
    /// <summary>
    /// A subscription event's result is a tree whose one root field was resolved from the event
    /// itself (graphql-dotnet's subscription strategy); an <see cref="IAuthoredEvent"/> there names
    /// its author. Anything else (a query's result, an event nobody wrote) has none.
    /// </summary>
    public static Guid? Of(ExecutionResult result) =>
        result.Data is RootExecutionNode { SubFields: [var field] }
            ? (field.Result as IAuthoredEvent ?? field.Source as IAuthoredEvent)?.AuthorId
            : null;
}
