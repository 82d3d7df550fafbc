using System.Globalization;
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

    /// <summary>A page's <c>{id}</c> route value when it is a GUID: anything else names no page, and reaches no grain.</summary>
    public static Guid? Id(RouteValueDictionary values) =>
        values["id"] is string text && Guid.TryParse(text, out var id) ? id : null;

    /// <summary>A description line: the parts that apply (null for one that does not), joined by middle dots.</summary>
    public static string Details(params string?[] parts) => string.Join(" · ", parts.OfType<string>());

    /// <summary>A recording's length as a player shows it: <c>4:05</c>, or <c>1:04:05</c> from an hour.</summary>
    public static string Length(TimeSpan length) =>
        length.ToString(length.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>A day as the previews write it, in UTC: <c>3 March 2025</c>.</summary>
    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_]{3,25}$")]
    private static partial Regex UsernameShape();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
