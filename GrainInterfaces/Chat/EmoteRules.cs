using System.Globalization;
using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>
/// Names of channel emotes. A prefix is 3–10 lower-case letters or digits, a suffix 2–20 letters or
/// digits beginning with a capital letter, and the emote's name is the two together (<c>aliceHype</c>).
/// The capital letter is what makes a name split one way only (<c>abc</c> + <c>Def</c> and
/// <c>abcd</c> + <c>Ef</c> cannot both exist), so prefixes unique across the platform make names
/// unique too, and a typed name says which channel to ask. Names match case-sensitively, as on
/// Twitch; within a channel, suffixes are unique ignoring case, so no two read alike.
/// </summary>
public static partial class EmoteRules
{
    public const int PrefixMinLength = 3;

    public const int PrefixMaxLength = 10;

    public const int SuffixMinLength = 2;

    public const int SuffixMaxLength = 20;

    /// <summary>The platform's own emotes are <c>wg</c> + a capital (<c>wgHype</c>): no channel's names look like them.</summary>
    private const string ReservedStart = "wg";

    /// <summary>The prefix, trimmed; BAD_USER_INPUT (field <c>prefix</c>) when it breaks the rules.</summary>
    public static string Prefix(string? value)
    {
        var prefix = (value ?? string.Empty).Trim();
        if (!PrefixPattern().IsMatch(prefix))
        {
            throw WgException.BadInput($"An emote prefix is {PrefixMinLength} to {PrefixMaxLength} lower-case letters or digits.", "prefix");
        }

        if (prefix.StartsWith(ReservedStart, StringComparison.Ordinal))
        {
            throw WgException.BadInput("Prefixes beginning with \"wg\" are WG-Stream's own.", "prefix");
        }

        return prefix;
    }

    /// <summary>The suffix, trimmed; BAD_USER_INPUT (field <c>name</c>) when it breaks the rules.</summary>
    public static string Suffix(string? value)
    {
        var suffix = (value ?? string.Empty).Trim();
        if (!SuffixPattern().IsMatch(suffix))
        {
            throw WgException.BadInput(
                $"An emote's name is {SuffixMinLength} to {SuffixMaxLength} letters or digits after the channel's prefix, beginning with a capital letter (Hype, GG, Love3).",
                "name");
        }

        return suffix;
    }

    /// <summary>Splits a typed name at its first capital letter; false when that does not give a valid prefix and suffix.</summary>
    public static bool TrySplit(string name, out string prefix, out string suffix)
    {
        var capital = name.AsSpan().IndexOfAnyInRange('A', 'Z');
        if (capital >= PrefixMinLength && capital <= PrefixMaxLength)
        {
            prefix = name[..capital];
            suffix = name[capital..];
            if (PrefixPattern().IsMatch(prefix) && SuffixPattern().IsMatch(suffix))
            {
                return true;
            }
        }

        prefix = suffix = string.Empty;
        return false;
    }

    /// <summary>
    /// Prefixes to try, best first, for a channel that never chose one: its username's letters and
    /// digits, lower-cased and cut to fit, then the same with 1, 2, … in its last places.
    /// </summary>
    public static IEnumerable<string> DefaultPrefixes(string username)
    {
        var letters = new string(username.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        while (letters.StartsWith(ReservedStart, StringComparison.Ordinal))
        {
            letters = letters[ReservedStart.Length..];
        }

        if (letters.Length >= PrefixMinLength)
        {
            yield return letters[..Math.Min(letters.Length, PrefixMaxLength)];
        }

        for (var n = 1; n < 10_000; n++)
        {
            var digits = n.ToString(CultureInfo.InvariantCulture);
            var head = letters[..Math.Min(letters.Length, PrefixMaxLength - digits.Length)];
            var candidate = head + digits;
            if (candidate.Length >= PrefixMinLength && !candidate.StartsWith(ReservedStart, StringComparison.Ordinal))
            {
                yield return candidate;
            }
        }
    }

    /// <summary>Whether two suffixes would read as one name.</summary>
    public static bool SameName(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[a-z0-9]{3,10}$")]
    private static partial Regex PrefixPattern();

    [GeneratedRegex("^[A-Z][A-Za-z0-9]{1,19}$")]
    private static partial Regex SuffixPattern();
}
