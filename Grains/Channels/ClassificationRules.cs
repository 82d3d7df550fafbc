using System.Text;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Channels;

/// <summary>What owners may set as tags and language, and what the directory may be filtered by.</summary>
public static class ClassificationRules
{
    public const int TagsMax = 10;
    public const int TagLengthMax = 25;

    /// <summary>How many tags one directory read may require at once (each is an index probe).</summary>
    public const int FilterTagsMax = 5;

    /// <summary>
    /// Each tag 1–25 letters or digits in any script (no spaces or punctuation: a tag is one word
    /// people type and click); at most 10. A repeat that differs only in case is dropped, keeping
    /// the first spelling, since tags match ignoring case.
    /// </summary>
    public static IReadOnlyList<string> Tags(IReadOnlyList<string> values)
    {
        if (values.Count > TagsMax * 5)
        {
            throw WgException.BadInput($"A channel has at most {TagsMax} tags.", "tags");
        }

        var tags = new List<string>(values.Count);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var tag = Tag(value ?? string.Empty, "tags");
            if (keys.Add(Key(tag)))
            {
                tags.Add(tag);
            }
        }

        return tags.Count <= TagsMax
            ? tags
            : throw WgException.BadInput($"A channel has at most {TagsMax} tags.", "tags");
    }

    /// <summary>How a tag is matched: lower-cased, culture-free.</summary>
    public static string Key(string tag) => tag.ToLowerInvariant();

    /// <summary>An ISO 639-1 code from <see cref="StreamLanguages"/>; empty (or blank) clears it.</summary>
    public static string? Language(string value)
    {
        var code = value.Trim().ToLowerInvariant();
        if (code.Length == 0)
        {
            return null;
        }

        return code.Length <= 8 && StreamLanguages.Contains(code) ? code : throw UnknownLanguage();
    }

    /// <summary>A filter as the caller sent it, checked and lower-cased; null input means no filter.</summary>
    public static DirectoryFilter Filter(DirectoryFilter? filter)
    {
        if (filter is null || (filter.Tags.Count == 0 && filter.Language is null))
        {
            return DirectoryFilter.All;
        }

        if (filter.Tags.Count > FilterTagsMax)
        {
            throw WgException.BadInput($"Filter by at most {FilterTagsMax} tags.", "tags");
        }

        var tags = filter.Tags.Select(t => Key(Tag(t ?? string.Empty, "tags"))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        // Null is "any language"; an empty string is not a language to filter by.
        var language = filter.Language is null ? null : Language(filter.Language) ?? throw UnknownLanguage();
        return new DirectoryFilter(tags, language);
    }

    private static WgException UnknownLanguage() => WgException.BadInput("Choose one of the listed languages (streamLanguages).", "language");

    private static string Tag(string value, string field)
    {
        // Checked before normalizing, so a huge input costs nothing; a letter is at most two UTF-16 units.
        if (value.Length > TagLengthMax * 4)
        {
            throw WgException.BadInput($"A tag is 1 to {TagLengthMax} letters or digits.", field);
        }

        var tag = value.Trim().Normalize(NormalizationForm.FormC);
        if (tag.Length == 0)
        {
            throw WgException.BadInput($"A tag is 1 to {TagLengthMax} letters or digits.", field);
        }

        var runes = 0;
        foreach (var rune in tag.EnumerateRunes())
        {
            runes++;
            // Combining marks belong to the letter before them (Devanagari, Thai vowel signs).
            var category = Rune.GetUnicodeCategory(rune);
            if (!Rune.IsLetterOrDigit(rune) && (runes == 1 || category is not (System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)))
            {
                throw WgException.BadInput($"A tag is 1 to {TagLengthMax} letters or digits, with no spaces or symbols: \"{Shorten(tag)}\".", field);
            }
        }

        return runes <= TagLengthMax
            ? tag
            : throw WgException.BadInput($"A tag is 1 to {TagLengthMax} letters or digits.", field);
    }

    private static string Shorten(string tag) => tag.Length <= TagLengthMax ? tag : tag[..TagLengthMax] + "…";
}
