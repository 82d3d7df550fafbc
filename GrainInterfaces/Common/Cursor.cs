using System.Text;

namespace WgStream.GrainInterfaces.Common;

/// <summary>
/// Opaque pagination cursors: the keyset values of the last row, base64url-encoded so clients treat
/// them as tokens rather than something to build or edit.
/// </summary>
public static class Cursor
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 50;

    public static string Encode(params string[] parts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', parts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes a cursor of exactly <paramref name="count"/> parts, or throws BAD_USER_INPUT.</summary>
    public static string[] Decode(string cursor, int count)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('\n');
            if (parts.Length == count)
            {
                return parts;
            }
        }
        catch (FormatException)
        {
        }

        throw WgException.BadInput("The cursor is not one this API gave out.", "after");
    }

    public static int PageSize(int first) => first is >= 1 and <= MaxPageSize
        ? first
        : throw WgException.BadInput($"first must be between 1 and {MaxPageSize}.", "first");

    public static long ParseLong(string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw WgException.BadInput("The cursor is not one this API gave out.", "after");

    /// <summary>An id part written as <c>Guid.ToString("N")</c>, or BAD_USER_INPUT.</summary>
    public static Guid ParseGuid(string value) =>
        Guid.TryParseExact(value, "N", out var id) ? id : throw WgException.BadInput("The cursor is not one this API gave out.", "after");

    /// <summary>
    /// A (time, id) keyset position, newest first. The time is written as microsecond-exact UTC ticks:
    /// PostgreSQL keeps microseconds, so the cursor compares exactly with the row it came from.
    /// </summary>
    public static string EncodeTimeAndId(DateTimeOffset at, Guid id) =>
        Encode(at.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), id.ToString("N"));

    /// <summary>Reads what <see cref="EncodeTimeAndId"/> wrote, or throws BAD_USER_INPUT.</summary>
    public static (DateTimeOffset At, Guid Id) DecodeTimeAndId(string cursor)
    {
        var parts = Decode(cursor, 2);
        return (new DateTimeOffset(ParseLong(parts[0]), TimeSpan.Zero), ParseGuid(parts[1]));
    }
}
