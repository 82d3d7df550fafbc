using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>
/// Words and phrases a channel (or the platform) does not allow in chat. Both the terms and each
/// message are folded the same way before matching: lower case, accents removed, invisible
/// characters dropped, and common look-alikes (Cyrillic letters that look Latin, digits and symbols
/// standing for letters) made one letter, so "Ідіот", "idiot" and "1d10t" are the same word. A term
/// matches whole words; <c>*</c> stands for any letters within a word ("idiot*" also blocks
/// "idiots"). Matching is one linear-time regular expression over the message (.NET's
/// non-backtracking engine), so no term list or message makes it slow.
/// </summary>
public sealed class BlockedTerms
{
    public const int MaxTermLength = 50;

    private static readonly Dictionary<char, char> LookAlikes = new()
    {
        // Cyrillic letters drawn like Latin ones (Ukrainian and Russian keyboards).
        ['а'] = 'a',
        ['в'] = 'b',
        ['д'] = 'd',
        ['е'] = 'e',
        ['є'] = 'e',
        ['з'] = 'z',
        ['і'] = 'i',
        ['ї'] = 'i',
        ['й'] = 'i',
        ['к'] = 'k',
        ['м'] = 'm',
        ['н'] = 'h',
        ['о'] = 'o',
        ['р'] = 'p',
        ['с'] = 'c',
        ['т'] = 't',
        ['у'] = 'y',
        ['х'] = 'x',
        ['ь'] = 'b',
        ['ґ'] = 'r',
        ['г'] = 'r',
        ['п'] = 'n',
        ['и'] = 'u',
        ['л'] = 'n',

        // Digits and symbols used for letters.
        ['0'] = 'o',
        ['1'] = 'i',
        ['!'] = 'i',
        ['|'] = 'i',
        ['3'] = 'e',
        ['4'] = 'a',
        ['@'] = 'a',
        ['5'] = 's',
        ['$'] = 's',
        ['7'] = 't',
        ['+'] = 't',
        ['8'] = 'b',
        ['9'] = 'g',
        ['l'] = 'i',
    };

    /// <summary>
    /// Accented Latin letters (Latin-1 and Latin Extended-A, lower case) and their plain letter. A
    /// table rather than Unicode decomposition: the services run with invariant globalization, where
    /// <see cref="string.Normalize()"/> leaves such letters as they are.
    /// </summary>
    private static readonly (string Accented, char Plain)[] Accents =
    [
        ("àáâãäåāăą", 'a'), ("çćĉċč", 'c'), ("ďđð", 'd'), ("èéêëēĕėęě", 'e'), ("ĝğġģ", 'g'), ("ĥħ", 'h'),
        ("ìíîïĩīĭįı", 'i'), ("ĵ", 'j'), ("ķĸ", 'k'), ("ĺļľŀł", 'l'), ("ñńņňŉŋ", 'n'), ("òóôõöøōŏő", 'o'),
        ("ŕŗř", 'r'), ("śŝşšß", 's'), ("ţťŧ", 't'), ("ùúûüũūŭůűų", 'u'), ("ŵ", 'w'), ("ýÿŷ", 'y'), ("źżž", 'z'),
    ];

    private static readonly Dictionary<char, char> Plain = BuildPlain();

    private readonly Regex? matcher;

    public BlockedTerms(IEnumerable<string> terms)
    {
        var patterns = terms.Select(Pattern).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        Count = patterns.Count;
        matcher = patterns.Count == 0
            ? null
            : new Regex(
                $"[^\\p{{L}}\\p{{N}}](?:{string.Join('|', patterns)})[^\\p{{L}}\\p{{N}}]",
                RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
    }

    public static BlockedTerms None { get; } = new([]);

    public int Count { get; }

    /// <summary>Whether <paramref name="text"/> contains a blocked term.</summary>
    /// <remarks>
    /// The non-backtracking engine has no lookarounds, so whole words are told by the non-letter on
    /// each side, which the spaces put around the message provide at its ends.
    /// </remarks>
    public bool Matches(string text) => matcher is not null && Matches(Prepare(text));

    /// <summary>Whether a message already <see cref="Prepare"/>d contains a blocked term: several lists checked against one message fold it once.</summary>
    public bool Matches(PreparedText text) => matcher is not null && matcher.IsMatch(text.Value);

    /// <summary>The message folded and padded for matching.</summary>
    public static PreparedText Prepare(string text) => new($" {Fold(text)} ");

    /// <summary>A term as it is kept: trimmed, inner spaces collapsed, lower case; BAD_USER_INPUT when it cannot be a term.</summary>
    public static string Normalize(string term)
    {
        var trimmed = string.Join(' ', (term ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();
        if (trimmed.Length is 0 or > MaxTermLength)
        {
            throw WgException.BadInput($"A blocked term has 1 to {MaxTermLength} characters.", "term");
        }

        if (Fold(trimmed).Replace("*", string.Empty, StringComparison.Ordinal).Count(c => char.IsLetterOrDigit(c)) < 2)
        {
            throw WgException.BadInput("A blocked term needs at least two letters besides its wildcards.", "term");
        }

        return trimmed;
    }

    /// <summary>Lower case, no accents, no invisible characters, look-alikes folded.</summary>
    internal static string Fold(string text)
    {
        var lower = text.ToLowerInvariant();
        var folded = new StringBuilder(lower.Length);
        for (var i = 0; i < lower.Length; i++)
        {
            var c = lower[i];
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.Format)
            {
                continue; // combining accents, and zero-width characters slipped between letters
            }

            // A digit or symbol stands for a letter only inside a word ("1d10t"): the "!" of "idiot!"
            // or the "1" of "top 1" stays what it is, or it would glue itself to the word before.
            var folds = Plain.TryGetValue(c, out var plain) && (char.IsLetter(c) || (i + 1 < lower.Length && char.IsLetterOrDigit(lower[i + 1])));
            folded.Append(folds ? plain : c);
        }

        return folded.ToString();
    }

    private static Dictionary<char, char> BuildPlain()
    {
        var plain = new Dictionary<char, char>(LookAlikes);
        foreach (var (accented, letter) in Accents)
        {
            foreach (var c in accented)
            {
                // An accented letter folds as its plain one would (ĺ as l, which look-alikes make i).
                plain[c] = LookAlikes.TryGetValue(letter, out var further) ? further : letter;
            }
        }

        return plain;
    }

    /// <summary>The term as a pattern: its folded words in order, <c>*</c> as any letters, spaces as any run of non-letters.</summary>
    private static string Pattern(string term)
    {
        var words = Fold(term).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var parts = words.Select(word => string.Join("[\\p{L}\\p{N}]*", word.Split('*').Select(Regex.Escape)));
        return string.Join("[^\\p{L}\\p{N}]+", parts);
    }
}

/// <summary>A message folded (<see cref="BlockedTerms.Fold"/>) and padded with a space at each end, ready for any list of terms.</summary>
public readonly record struct PreparedText(string Value);
