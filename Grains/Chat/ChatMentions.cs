using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// <c>@username</c> in a message's text: found (a username's characters after an <c>@</c> that does
/// not follow a word character, so e-mail addresses are not mentions) and, once the room has
/// resolved the names to accounts, turned into mention fragments.
/// </summary>
public static partial class ChatMentions
{
    /// <summary>The distinct names mentioned in the text fragments, in order, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> Find(IReadOnlyList<ChatFragment> fragments, int max)
    {
        var names = new List<string>();
        foreach (var fragment in fragments.Where(f => f.Kind == ChatFragmentKind.Text))
        {
            foreach (Match match in Token().Matches(fragment.Text))
            {
                var name = match.Groups[1].Value;
                if (!names.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    if (names.Count == max)
                    {
                        return names;
                    }

                    names.Add(name);
                }
            }
        }

        return names;
    }

    /// <summary>
    /// The fragments with each <c>@name</c> that <paramref name="accounts"/> knows (ignoring case) as
    /// a mention of that account; unknown names stay text.
    /// </summary>
    public static IReadOnlyList<ChatFragment> Apply(IReadOnlyList<ChatFragment> fragments, IReadOnlyDictionary<string, Guid> accounts)
    {
        if (accounts.Count == 0)
        {
            return fragments;
        }

        var result = new List<ChatFragment>(fragments.Count + 2);
        foreach (var fragment in fragments)
        {
            if (fragment.Kind != ChatFragmentKind.Text)
            {
                result.Add(fragment);
                continue;
            }

            var position = 0;
            foreach (Match match in Token().Matches(fragment.Text))
            {
                if (!accounts.TryGetValue(match.Groups[1].Value, out var userId))
                {
                    continue;
                }

                if (match.Index > position)
                {
                    result.Add(fragment with { Text = fragment.Text[position..match.Index] });
                }

                result.Add(new ChatFragment(ChatFragmentKind.Mention, match.Value, null, userId));
                position = match.Index + match.Length;
            }

            if (position < fragment.Text.Length)
            {
                result.Add(position == 0 ? fragment : fragment with { Text = fragment.Text[position..] });
            }
        }

        return result;
    }

    /// <summary>The accounts mentioned by a message's fragments.</summary>
    public static IEnumerable<Guid> Mentioned(IReadOnlyList<ChatFragment> fragments) =>
        fragments.Where(f => f.Kind == ChatFragmentKind.Mention && f.UserId is not null).Select(f => f.UserId!.Value).Distinct();

    [GeneratedRegex(@"(?<![A-Za-z0-9_@.])@([A-Za-z0-9_]{3,25})(?![A-Za-z0-9_])")]
    private static partial Regex Token();
}
