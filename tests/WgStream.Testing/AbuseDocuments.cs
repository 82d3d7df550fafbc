namespace WgStream.Tests.Infrastructure;

/// <summary>
/// Requests an outsider can send anonymously that cost far more than their size, shared by the
/// abuse tests (each is refused with its code) and the <c>abuse</c> benchmark (what each costs the server).
/// </summary>
public static class AbuseDocuments
{
    /// <summary>2,000 aliases of <c>__schema</c>, each spreading a fragment over types, fields and arguments (74 KB).</summary>
    public static readonly string AliasBomb =
        "query {" + string.Concat(Enumerable.Range(0, 2000).Select(i => $" a{i}: __schema {{ ...F }}"))
        + " } fragment F on __Schema { types { name fields { name args { name type { name ofType { name } } } } } }";

    /// <summary>One field 20,000 times, 220 KB (field merging compares every pair).</summary>
    public static readonly string RepeatedField = "{" + string.Concat(Enumerable.Repeat(" __typename", 20_000)) + " }";

    /// <summary>Twenty fragments, each spreading the next twice: a few hundred bytes that expand to a million fields.</summary>
    public static readonly string FragmentDoubling =
        "query { ...F0 } " + string.Concat(Enumerable.Range(0, 20).Select(i => $"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }} "))
        + "fragment F20 on Query { __typename }";

    /// <summary>440 selections, within every static limit, that multiply out over the schema: 40 × types × fields × …</summary>
    public static readonly string NestedIntrospection =
        "{" + string.Concat(Enumerable.Range(0, 40).Select(i => $" s{i}: __schema {{ types {{ name fields {{ name args {{ name }} type {{ name ofType {{ name }} }} }} }} }}")) + " }";

    /// <summary>The same directive 10,000 times on one field (unique-directive checks compare them).</summary>
    public static readonly string RepeatedDirective = "{ __typename" + string.Concat(Enumerable.Repeat(" @include(if: true)", 10_000)) + " }";

    /// <summary>5,000 operations in one document, the last one named to run (every one is validated).</summary>
    public static readonly string ManyOperations =
        string.Concat(Enumerable.Range(0, 5_000).Select(i => $"query Q{i} {{ __typename }} "));
}
