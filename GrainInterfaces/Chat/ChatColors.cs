using System.Text;
using System.Text.RegularExpressions;
using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>Nickname colours: a named palette, any <c>#rrggbb</c>, and a stable default per username.</summary>
public static partial class ChatColors
{
    public static readonly IReadOnlyDictionary<string, string> Palette = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["red"] = "#FF4040",
        ["blue"] = "#3D7BFF",
        ["green"] = "#2FB344",
        ["firebrick"] = "#B22222",
        ["coral"] = "#FF7F50",
        ["yellowgreen"] = "#9ACD32",
        ["orangered"] = "#FF4500",
        ["seagreen"] = "#2E8B57",
        ["goldenrod"] = "#DAA520",
        ["chocolate"] = "#D2691E",
        ["cadetblue"] = "#5F9EA0",
        ["dodgerblue"] = "#1E90FF",
        ["hotpink"] = "#FF69B4",
        ["blueviolet"] = "#8A2BE2",
        ["springgreen"] = "#00C77F",
    };

    private static readonly string[] DefaultOrder = Palette.Values.ToArray();

    /// <summary>The same username always gets the same colour (FNV-1a: stable across processes, unlike string.GetHashCode).</summary>
    public static string Default(string username)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(username.ToLowerInvariant()))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return DefaultOrder[hash % (uint)DefaultOrder.Length];
    }

    public static string Normalize(string color)
    {
        var value = color.Trim();
        if (Palette.TryGetValue(value, out var named))
        {
            return named;
        }

        if (Hex().IsMatch(value))
        {
            return value.ToUpperInvariant();
        }

        throw WgException.BadInput($"Use #rrggbb or one of: {string.Join(", ", Palette.Keys)}.", "color");
    }

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex Hex();
}
