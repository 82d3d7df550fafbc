using System.Text.RegularExpressions;

namespace WgStream.Api.Previews;

public static partial class PreviewText
{
    /// <summary>The shape of a username (3–25 letters, digits or underscores): anything else is no channel.</summary>
    public static bool IsUsername(string value) => UsernameShape().IsMatch(value);

    /// <summary>At most <paramref name="max"/> characters of one line, cut at a word where it can be.</summary>
    public static string Shorten(string text, int max)
    {
        var line = WhiteSpace().Replace(text, " ").Trim();
        if (line.Length <= max)
        {
            return line;
        }

        var cut = line.LastIndexOf(' ', max - 1);
        return string.Concat(line.AsSpan(0, cut > max / 2 ? cut : max - 1), "…");
    }

    [GeneratedRegex("^[A-Za-z0-9_]{3,25}$")]
    private static partial Regex UsernameShape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
