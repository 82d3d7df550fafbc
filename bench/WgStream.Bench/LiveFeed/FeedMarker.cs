using System.Buffers.Text;
using System.Globalization;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// The text of a benchmark chat message: <c>wgb:{sender}:{seq:D6}:t:{Stopwatch ticks at send}</c>.
/// Viewers find it with one IndexOf in the frame's bytes and parse three numbers; the rest of the
/// JSON around it is never looked at. Plain ASCII digits and colons: nothing the server escapes.
/// </summary>
public static class FeedMarker
{
    public static ReadOnlySpan<byte> Prefix => "wgb:"u8;

    public static string Format(int sender, int seq, long sentTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"wgb:{sender}:{seq:D6}:t:{sentTicks}");

    /// <summary>Parses what follows the first <see cref="Prefix"/> in <paramref name="message"/>; false when there is none.</summary>
    public static bool TryFind(ReadOnlySpan<byte> message, out int sender, out int seq, out long sentTicks)
    {
        sender = seq = 0;
        sentTicks = 0;
        var at = message.IndexOf(Prefix);
        if (at < 0)
        {
            return false;
        }

        var rest = message[(at + Prefix.Length)..];
        if (!Utf8Parser.TryParse(rest, out sender, out var used) || used >= rest.Length || rest[used] != ':')
        {
            return false;
        }

        rest = rest[(used + 1)..];
        if (!Utf8Parser.TryParse(rest, out seq, out used) || !rest[used..].StartsWith(":t:"u8))
        {
            return false;
        }

        return Utf8Parser.TryParse(rest[(used + 3)..], out sentTicks, out _);
    }
}
