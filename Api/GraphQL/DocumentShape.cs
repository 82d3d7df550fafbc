using GraphQLParser.AST;

namespace WgStream.Api.GraphQL;

/// <summary>
/// What a document asks for, counted in one pass over its syntax tree before any validation rule
/// runs. Validation and execution cost grows with the document <em>as executed</em>, fragments
/// expanded: 2,000 aliases of one fragment or a chain of fragments that each spread the next twice
/// are small texts with huge expansions, and one field repeated 20,000 times makes field merging
/// quadratic, as do 10,000 copies of one directive. Counting with expansion, memoised per fragment, is linear in the text, so the limits
/// in <see cref="GraphQLOptions"/> refuse such documents before they cost anything.
/// </summary>
public sealed record DocumentShape(long Selections, long Aliases, int FragmentSpreads, int Directives, bool Introspects)
{
    /// <summary>Counts saturate here: past any limit, the exact figure does not matter.</summary>
    private const long Saturated = 1L << 40;

    public static DocumentShape Measure(GraphQLDocument document)
    {
        var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
        var spreads = 0;
        var directives = 0;
        var introspects = false;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLFragmentDefinition fragment)
            {
                fragments.TryAdd(fragment.FragmentName.Name.StringValue, fragment);
            }

            directives += (definition as IHasDirectivesNode)?.Directives?.Count ?? 0;
        }

        // Raw pass: spreads as written, and whether introspection is asked for anywhere.
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            if (definition is IHasSelectionSetNode { SelectionSet: { } set })
            {
                pending.Push(set);
            }
        }

        while (pending.TryPop(out var set))
        {
            foreach (var selection in set.Selections)
            {
                directives += (selection as IHasDirectivesNode)?.Directives?.Count ?? 0;
                switch (selection)
                {
                    case GraphQLField field:
                        introspects |= field.Name.Value.Span is "__schema" or "__type";
                        if (field.SelectionSet is { } inner)
                        {
                            pending.Push(inner);
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                    case GraphQLFragmentSpread:
                        spreads++;
                        break;
                }
            }
        }

        var counter = new ExpansionCounter(fragments);
        long selections = 0, aliases = 0;
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation)
            {
                var (s, a) = counter.Count(operation.SelectionSet, depth: 0);
                selections = Math.Min(Saturated, selections + s);
                aliases = Math.Min(Saturated, aliases + a);
            }
        }

        return new DocumentShape(selections, aliases, spreads, directives, introspects);
    }

    /// <summary>The refusal for a document over a limit, or null.</summary>
    public string? Exceeds(GraphQLOptions options) =>
        FragmentSpreads > options.MaxFragmentSpreads ? $"The document has {FragmentSpreads} fragment spreads; at most {options.MaxFragmentSpreads} are allowed."
        : Directives > options.MaxDirectives ? $"The document has {Directives} directives; at most {options.MaxDirectives} are allowed."
        : Selections > options.MaxSelections ? $"The document selects {(Selections >= Saturated ? "too many" : Selections.ToString(System.Globalization.CultureInfo.InvariantCulture))} fields with its fragments expanded; at most {options.MaxSelections} are allowed."
        : Aliases > options.MaxAliases ? $"The document has {(Aliases >= Saturated ? "too many" : Aliases.ToString(System.Globalization.CultureInfo.InvariantCulture))} aliases with its fragments expanded; at most {options.MaxAliases} are allowed."
        : null;

    /// <summary>Fields and aliases under a selection set with spreads expanded; each fragment is counted once and remembered.</summary>
    private sealed class ExpansionCounter(Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private const int MaxFragmentDepth = 256;

        private readonly Dictionary<string, (long Selections, long Aliases)?> counted = new(StringComparer.Ordinal);

        public (long Selections, long Aliases) Count(GraphQLSelectionSet set, int depth)
        {
            long selections = 0, aliases = 0;
            foreach (var selection in set.Selections)
            {
                var (s, a) = selection switch
                {
                    GraphQLField field => Add((1, field.Alias is null ? 0 : 1), field.SelectionSet is { } inner ? Count(inner, depth + 1) : (0, 0)),
                    GraphQLInlineFragment inline => Count(inline.SelectionSet, depth + 1),
                    GraphQLFragmentSpread spread => Fragment(spread.FragmentName.Name.StringValue, depth),
                    _ => (0L, 0L),
                };
                (selections, aliases) = Add((selections, aliases), (s, a));
            }

            return (selections, aliases);
        }

        private (long, long) Fragment(string name, int depth)
        {
            if (counted.TryGetValue(name, out var known))
            {
                // Null while its own expansion is running: a cycle, which validation refuses anyway.
                return known ?? (0, 0);
            }

            if (!fragments.TryGetValue(name, out var fragment))
            {
                return (0, 0);
            }

            // A chain of thousands of fragments, each spreading the next, would recurse that deep.
            // No real document nests this far: count it as over every limit.
            if (depth > MaxFragmentDepth)
            {
                return (Saturated, Saturated);
            }

            counted[name] = null;
            var result = Count(fragment.SelectionSet, depth + 1);
            counted[name] = result;
            return result;
        }

        private static (long, long) Add((long S, long A) x, (long S, long A) y) =>
            (Math.Min(Saturated, x.S + y.S), Math.Min(Saturated, x.A + y.A));
    }
}
