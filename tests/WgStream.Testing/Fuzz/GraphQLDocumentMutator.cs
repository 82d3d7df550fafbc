using System.Text;
using System.Text.Json;

namespace WgStream.Tests.Infrastructure.Fuzz;

/// <summary>
/// Seeded mutations of real documents of our schema, a token at a time (dropped, doubled, swapped,
/// replaced by punctuation or a long name), plus variables of the wrong shape: what a buggy client
/// or a curious outsider sends. Each answer must be a GraphQL error with a code, never a 500.
/// </summary>
public sealed class GraphQLDocumentMutator(int seed)
{
    public static readonly string[] Documents =
    [
        "query Me { me { id username email twoFactorEnabled } }",
        "query Channel($username: String!) { channel(username: $username) { id title live viewerCount owner { username } } }",
        "query Live($first: Int, $after: String) { liveChannels(first: $first, after: $after) { edges { cursor node { channelId title } } pageInfo { hasNextPage endCursor } } }",
        "query Search { searchChannels(query: \"a\", first: 5) { edges { node { username } } } }",
        "query Chat($id: ID!) { chatMessages(channelId: $id, last: 10) { messages { id text sender { username } } } }",
        "query Cats { categories { slug name liveChannels(first: 2) { edges { node { title } } } } }",
        "mutation Login($u: String!, $p: String!) { login(usernameOrEmail: $u, password: $p) { token } }",
        "mutation Register($input: RegisterInput!) { register(input: $input) { token } }",
        "mutation Send($id: ID!, $text: String!) { sendChatMessage(channelId: $id, text: $text) { id } }",
        "query { __schema { queryType { name } types { name kind } } }",
        "query F { ...Q } fragment Q on Query { emotes { code } randomCategories(first: 3) { slug } }",
        "query Skip($s: Boolean!) { me @skip(if: $s) { id } recommendedChannels(first: 3) @include(if: true) { title } }",
    ];

    private static readonly string[] Punctuation = ["{", "}", "(", ")", "[", "]", ":", "$", "@", "...", "!", "=", "|", "&", "\"", "\"\"\"", "#", ",", "\u0000", "\u00e9", "\ud83d\ude00"];

    private static readonly string[] Variables =
    [
        "null", "{}", "{\"username\":null}", "{\"username\":42}", "{\"first\":-1}", "{\"first\":2147483648}",
        "{\"first\":\"ten\"}", "{\"after\":\"not-a-cursor\"}", "{\"after\":\"" + new string('z', 2000) + "\"}",
        "{\"id\":\"00000000-0000-0000-0000-000000000000\"}", "{\"id\":\"not-a-guid\"}", "{\"text\":\"" + new string('t', 10_000) + "\",\"id\":\"x\"}",
        "{\"input\":{\"username\":[],\"email\":{},\"password\":1e999}}", "{\"s\":\"yes\"}", "{\"u\":\"a\",\"p\":null}",
        "{\"input\":" + new string('[', 200) + new string(']', 200) + "}",
    ];

    private readonly Random random = new(seed);

    /// <summary>The next <paramref name="count"/> request bodies (JSON), the same for the same seed.</summary>
    public IEnumerable<(string Description, string Body)> Next(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var source = Documents[random.Next(Documents.Length)];
            var tokens = Tokenize(source);
            var edits = 1 + random.Next(4);
            var applied = new List<string>();
            for (var e = 0; e < edits && tokens.Count > 0; e++)
            {
                applied.Add(Mutate(tokens));
            }

            var document = string.Join(' ', tokens);
            var variables = Variables[random.Next(Variables.Length)];
            var operationName = random.Next(6) == 0 ? ",\"operationName\":\"Nope\"" : "";
            var body = $"{{\"query\":{JsonSerializer.Serialize(document)},\"variables\":{variables}{operationName}}}";
            yield return ($"#{i} {string.Join(", ", applied)}: {Shorten(document)} vars {Shorten(variables)}", body);
        }
    }

    private string Mutate(List<string> tokens)
    {
        var at = random.Next(tokens.Count);
        switch (random.Next(7))
        {
            case 0:
                var dropped = tokens[at];
                tokens.RemoveAt(at);
                return $"dropped '{dropped}'";
            case 1:
                tokens.Insert(at, tokens[at]);
                return $"doubled '{tokens[at]}'";
            case 2:
                var other = random.Next(tokens.Count);
                (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                return $"swapped {at} and {other}";
            case 3:
                var p = Punctuation[random.Next(Punctuation.Length)];
                tokens.Insert(at, p);
                return $"inserted '{p}'";
            case 4:
                tokens[at] = new string('n', 1 + random.Next(3000));
                return $"long name at {at}";
            case 5:
                var depth = 1 + random.Next(400);
                tokens.Insert(at, string.Concat(Enumerable.Repeat("{ a ", depth)) + string.Concat(Enumerable.Repeat("} ", depth)));
                return $"nesting {depth} deep";
            default:
                tokens.Insert(at, random.Next(3) switch { 0 => "\"unterminated", 1 => "99999999999999999999999999", _ => "-0.e+" });
                return "bad literal";
        }
    }

    private static List<string> Tokenize(string document)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inString = false;
        foreach (var c in document)
        {
            if (c == '"')
            {
                inString = !inString;
            }

            if (!inString && (char.IsWhiteSpace(c) || "{}()[]:!$@=,".Contains(c, StringComparison.Ordinal)))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }

                if (!char.IsWhiteSpace(c))
                {
                    tokens.Add(c.ToString());
                }

                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
