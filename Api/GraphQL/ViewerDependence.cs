using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using GraphQLParser.AST;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Marks the fields whose value depends on who asks (<c>followedByMe</c>, a user's own e-mail, a
/// per-user feed), and tells whether a document reaches any of them. A live subscription that
/// reaches none is executed once per event for all its subscribers on the node (see
/// <c>SharedSubscriptions</c>), as an anonymous viewer in the subscriber's language: a field that
/// should have been marked and was not then shows everyone the anonymous answer, never someone
/// else's.
/// </summary>
public static class ViewerDependence
{
    private const string MetadataKey = "wg:dependsOnViewer";

    /// <summary>Upper bound on the selections looked at; a document past it is treated as viewer-dependent.</summary>
    private const int MaxVisits = 2000;

    public static FieldBuilder<TSource, TReturn> DependsOnViewer<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.Metadata[MetadataKey] = true;
        return field;
    }

    public static bool IsMarked(IFieldType field) => field.GetMetadata(MetadataKey, false);

    /// <summary>
    /// Whether executing <paramref name="operation"/> may give different results to different
    /// viewers: a marked field, an unknown field or type, or a document too large to walk.
    /// </summary>
    public static bool Reaches(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        IComplexGraphType? root = operation.Operation switch
        {
            OperationType.Query => schema.Query,
            OperationType.Mutation => schema.Mutation,
            OperationType.Subscription => schema.Subscription,
            _ => null,
        };
        if (root is null)
        {
            return true;
        }

        var visits = 0;
        return Walk(root, operation.SelectionSet, new HashSet<string>(StringComparer.Ordinal));

        bool Walk(IGraphType type, GraphQLSelectionSet? selections, HashSet<string> fragmentsOnPath)
        {
            if (selections is null)
            {
                return false;
            }

            foreach (var selection in selections.Selections)
            {
                if (++visits > MaxVisits)
                {
                    return true;
                }

                switch (selection)
                {
                    case GraphQLField field:
                        var name = field.Name.StringValue;
                        if (name.StartsWith("__", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        var definition = (type as IComplexGraphType)?.GetField(name);
                        if (definition is null)
                        {
                            // An interface or union: look at the field on every possible type.
                            if (type is IAbstractGraphType abstractType && abstractType.PossibleTypes.Count > 0)
                            {
                                foreach (var possible in abstractType.PossibleTypes)
                                {
                                    if (Walk(possible, new GraphQLSelectionSet([field]), fragmentsOnPath))
                                    {
                                        return true;
                                    }
                                }

                                continue;
                            }

                            return true;
                        }

                        if (IsMarked(definition) || (definition.ResolvedType is { } resolved && Walk(resolved.GetNamedType(), field.SelectionSet, fragmentsOnPath)))
                        {
                            return true;
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        if (Walk(Condition(inline.TypeCondition) ?? type, inline.SelectionSet, fragmentsOnPath))
                        {
                            return true;
                        }

                        break;
                    case GraphQLFragmentSpread spread:
                        var fragmentName = spread.FragmentName.Name.StringValue;
                        var fragment = document.Definitions.OfType<GraphQLFragmentDefinition>().FirstOrDefault(f => f.FragmentName.Name.StringValue == fragmentName);
                        if (fragment is null || !fragmentsOnPath.Add(fragmentName))
                        {
                            // Unknown or cyclic: validation refuses the document; do not share it meanwhile.
                            return true;
                        }

                        var reaches = Walk(Condition(fragment.TypeCondition) ?? type, fragment.SelectionSet, fragmentsOnPath);
                        fragmentsOnPath.Remove(fragmentName);
                        if (reaches)
                        {
                            return true;
                        }

                        break;
                    default:
                        return true;
                }
            }

            return false;
        }

        IGraphType? Condition(GraphQLTypeCondition? condition) =>
            condition is null ? null : schema.AllTypes[condition.Type.Name.StringValue];
    }
}
