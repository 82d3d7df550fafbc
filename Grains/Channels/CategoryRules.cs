using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat;

namespace WgStream.Grains.Channels;

/// <summary>What a category's slug and names may be.</summary>
public static partial class CategoryRules
{
    public const int MaxSlugLength = 40;

    public const int MaxNameLength = 60;

    /// <summary>Lower case, 2–40 characters: slugs are URLs (<c>/c/{slug}</c>) and are never renamed.</summary>
    public static string Slug(string? slug)
    {
        var value = (slug ?? string.Empty).Trim();
        return value.Length is >= 2 and <= MaxSlugLength && SlugPattern().IsMatch(value)
            ? value
            : throw WgException.BadInput("A slug is 2 to 40 lower-case letters and digits, with single hyphens between them (for example \"board-games\").", "slug");
    }

    /// <summary>Cleaned like chat text (control and invisible characters out), 1–60 characters.</summary>
    public static string Name(string? name, string field)
    {
        try
        {
            return ChatText.Clean(name ?? string.Empty, MaxNameLength);
        }
        catch (WgException e) when (e.Code == ErrorCodes.BadUserInput)
        {
            throw WgException.BadInput($"A category's name is 1 to {MaxNameLength} characters.", field);
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();
}
