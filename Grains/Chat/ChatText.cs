using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>Cleans what a viewer typed and splits it into text, emoji and emote fragments.</summary>
public static partial class ChatText
{
    public static string Clean(string text, int maxLength)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.Control)
            {
                // Newlines and tabs become spaces; other control characters vanish.
                if (rune.Value is '\n' or '\r' or '\t')
                {
                    builder.Append(' ');
                }

                continue;
            }

            // Format characters are invisible (bidi overrides and the like); keep only the joiners emoji need.
            if (category == UnicodeCategory.Format && rune.Value is not (0x200D or 0xFE0F))
            {
                continue;
            }

            builder.Append(rune.ToString());
        }

        var cleaned = builder.ToString().Trim();
        if (cleaned.Length == 0)
        {
            throw WgException.BadInput("Type a message first.", "text");
        }

        if (cleaned.Length > maxLength)
        {
            throw WgException.BadInput($"A message is at most {maxLength} characters.", "text");
        }

        return cleaned;
    }

    /// <summary>
    /// Splits the text into fragments: <c>:name:</c> becomes an emote when it is a global emote or
    /// one of <paramref name="channelEmotes"/> (by name: those this sender may use here), and stays
    /// text otherwise; emoji become their own fragments.
    /// </summary>
    public static IReadOnlyList<ChatFragment> Parse(string text, IReadOnlyDictionary<string, ChannelEmote>? channelEmotes = null)
    {
        var fragments = new List<ChatFragment>();
        var position = 0;
        foreach (Match match in EmoteToken().Matches(text))
        {
            var name = match.Groups[1].Value;
            ChatFragment emote;
            if (EmoteCatalog.ImageUrl(name) is { } url)
            {
                emote = new ChatFragment(ChatFragmentKind.Emote, match.Value, url);
            }
            else if (channelEmotes?.GetValueOrDefault(name) is { } channel)
            {
                emote = new ChatFragment(ChatFragmentKind.Emote, match.Value, channel.ImageUrl, Emote: new ChatFragmentEmote(channel.Id, channel.ChannelId, channel.Animated, channel.Images));
            }
            else
            {
                continue;
            }

            AddTextAndEmoji(fragments, text[position..match.Index]);
            fragments.Add(emote);
            position = match.Index + match.Length;
        }

        AddTextAndEmoji(fragments, text[position..]);
        return fragments;
    }

    /// <summary>The names typed as <c>:name:</c> that are no global emote (so may be a channel's), each once, in order.</summary>
    public static IReadOnlyList<string> EmoteNames(string text)
    {
        var names = new List<string>();
        foreach (Match match in EmoteToken().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (EmoteCatalog.ImageUrl(name) is null && !names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        return names;
    }

    /// <summary>True when a message is nothing but emoji and emotes (and spaces): what emote-only mode allows.</summary>
    public static bool IsEmoteOnly(IReadOnlyList<ChatFragment> fragments) =>
        fragments.All(f => f.Kind != ChatFragmentKind.Text || string.IsNullOrWhiteSpace(f.Text));

    private static void AddTextAndEmoji(List<ChatFragment> fragments, string text)
    {
        var plain = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (IsEmoji(element))
            {
                Flush();
                fragments.Add(new ChatFragment(ChatFragmentKind.Emoji, element, null));
            }
            else
            {
                plain.Append(element);
            }
        }

        Flush();

        void Flush()
        {
            if (plain.Length > 0)
            {
                fragments.Add(new ChatFragment(ChatFragmentKind.Text, plain.ToString(), null));
                plain.Clear();
            }
        }
    }

    /// <summary>A grapheme cluster is an emoji when it starts with a pictographic rune or is a keycap/variation-16 sequence.</summary>
    private static bool IsEmoji(string element)
    {
        var first = Rune.GetRuneAt(element, 0).Value;
        var pictographic = first is >= 0x1F000 and <= 0x1FAFF or >= 0x2600 and <= 0x27BF or >= 0x2B00 and <= 0x2BFF
            or >= 0x1F1E6 and <= 0x1F1FF or 0x231A or 0x231B or 0x23E9 or 0x23F0 or 0x23F3 or 0x00A9 or 0x00AE or 0x203C or 0x2049;
        return pictographic || element.Contains('\uFE0F', StringComparison.Ordinal) || element.Contains('\u20E3', StringComparison.Ordinal);
    }

    /// <summary>Global names (<c>wgHype</c>) and channel ones (a prefix of up to 10 and a suffix of up to 20).</summary>
    [GeneratedRegex(":([A-Za-z0-9_]{2,30}):")]
    private static partial Regex EmoteToken();
}
