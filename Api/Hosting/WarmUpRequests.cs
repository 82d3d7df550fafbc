using GraphQLParser;
using GraphQLParser.AST;

namespace WgStream.Api.Hosting;

/// <summary>One request the warm-up sends: a persisted query and variables for it.</summary>
public sealed record WarmUpRequest(string DocumentId, IReadOnlyDictionary<string, object?> Variables);

/// <summary>
/// Turns the web client's persisted queries into requests the node can send itself. A query that
/// takes variables gets sample values by type: a <c>String</c> is the username and an <c>ID</c>
/// the id of a channel that exists on this deployment (so the channel page runs its real
/// resolvers, not a "no such channel"), an <c>Int</c> is 20 (a page size), a <c>Boolean</c> false,
/// and optional ones are left out. A query with a required variable of any other type is skipped.
/// Mutations and subscriptions never run: a warm-up must change nothing.
/// </summary>
public static class WarmUpRequests
{
    public static IReadOnlyList<WarmUpRequest> From(IReadOnlyDictionary<string, string> documents, (Guid Id, string Username)? sample)
    {
        var requests = new List<WarmUpRequest>();
        foreach (var (id, text) in documents.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            var operations = Parser.Parse(text).Definitions.OfType<GraphQLOperationDefinition>().ToList();
            if (operations is not [{ Operation: OperationType.Query } operation])
            {
                continue;
            }

            if (Variables(operation, sample) is { } variables)
            {
                requests.Add(new WarmUpRequest(id, variables));
            }
        }

        return requests;
    }

    private static Dictionary<string, object?>? Variables(GraphQLOperationDefinition operation, (Guid Id, string Username)? sample)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var definition in operation.Variables?.Items ?? [])
        {
            var required = definition.Type is GraphQLNonNullType;
            var type = (definition.Type is GraphQLNonNullType nonNull ? nonNull.Type : definition.Type) as GraphQLNamedType;
            object? value = type?.Name.StringValue switch
            {
                "String" when sample is { } s => s.Username,
                "ID" when sample is { } s => s.Id,
                "Int" => 20,
                "Boolean" => false,
                _ => null,
            };
            if (value is not null && (required || type?.Name.StringValue is not ("String" or "ID")))
            {
                variables[definition.Variable.Name.StringValue] = value;
            }
            else if (required)
            {
                return null;
            }
        }

        return variables;
    }
}
