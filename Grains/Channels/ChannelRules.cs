using System.Globalization;
using System.Text;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Channels;

/// <summary>Limits and clean-up for what channel owners type.</summary>
public static class ChannelRules
{
    public const int DisplayNameMax = 40;
    public const int BioMax = 300;
    public const int SocialLinksMax = 10;
    public const int LinkTitleMax = 50;
    public const int UrlMax = 2048;

    public static string DisplayName(string value)
    {
        var name = CleanLine(value);
        if (name.Length is 0 or > DisplayNameMax)
        {
            throw WgException.BadInput($"A display name is 1 to {DisplayNameMax} characters.", "displayName");
        }

        return name;
    }

    public static string Bio(string value)
    {
        var bio = Clean(value, keepNewlines: true).Trim();
        if (bio.Length > BioMax)
        {
            throw WgException.BadInput($"A bio is at most {BioMax} characters.", "bio");
        }

        return bio;
    }

    public static string LinkTitle(string value)
    {
        var title = CleanLine(value);
        if (title.Length is 0 or > LinkTitleMax)
        {
            throw WgException.BadInput($"A link title is 1 to {LinkTitleMax} characters.", "title");
        }

        return title;
    }

    /// <summary>Only absolute http(s) URLs: no javascript:, data: or relative links on a profile page.</summary>
    public static string Url(string value)
    {
        var url = value.Trim();
        if (url.Length is 0 or > UrlMax
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || string.IsNullOrEmpty(uri.Host))
        {
            throw WgException.BadInput("A link must be an http:// or https:// address.", "url");
        }

        return uri.AbsoluteUri;
    }

    /// <summary>One line of user text: control and format characters dropped, trimmed.</summary>
    internal static string CleanLine(string value) => Clean(value, keepNewlines: false).Trim();

    /// <summary>Drops control and format characters (zero-width joiners aside, which emoji need).</summary>
    internal static string Clean(string value, bool keepNewlines)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value == '\n' && keepNewlines)
            {
                builder.Append('\n');
            }
            else if (category == UnicodeCategory.Control || (category == UnicodeCategory.Format && rune.Value != 0x200D))
            {
                continue;
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
