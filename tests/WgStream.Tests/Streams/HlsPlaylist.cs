using System.Globalization;

namespace WgStream.Tests.Streams;

/// <summary>Just enough of RFC 8216 to check what the HLS worker writes.</summary>
public static class HlsPlaylist
{
    public sealed record Variant(string Uri, int Bandwidth, string? Resolution);

    /// <summary>The master playlist's <c>EXT-X-STREAM-INF</c> entries, in order.</summary>
    public static IReadOnlyList<Variant> Variants(string master)
    {
        var lines = Lines(master);
        var variants = new List<Variant>();
        for (var i = 0; i < lines.Count - 1; i++)
        {
            if (lines[i].StartsWith("#EXT-X-STREAM-INF:", StringComparison.Ordinal))
            {
                var attributes = Attributes(lines[i]["#EXT-X-STREAM-INF:".Length..]);
                variants.Add(new Variant(lines[i + 1],
                    int.Parse(attributes.GetValueOrDefault("BANDWIDTH", "0"), CultureInfo.InvariantCulture),
                    attributes.GetValueOrDefault("RESOLUTION")));
            }
        }

        return variants;
    }

    public static int TargetDuration(string media) =>
        int.Parse(Lines(media).Single(l => l.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))["#EXT-X-TARGETDURATION:".Length..], CultureInfo.InvariantCulture);

    public static IReadOnlyList<double> SegmentDurations(string media) =>
        [.. Lines(media).Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
            .Select(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(',').Split(',')[0], CultureInfo.InvariantCulture))];

    public static IReadOnlyList<string> Segments(string media) => [.. Lines(media).Where(l => !l.StartsWith('#'))];

    /// <summary><c>EXT-X-PROGRAM-DATE-TIME</c> of each segment.</summary>
    public static IReadOnlyList<DateTimeOffset> ProgramDateTimes(string media) =>
        [.. Lines(media).Where(l => l.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            .Select(l => DateTimeOffset.Parse(l["#EXT-X-PROGRAM-DATE-TIME:".Length..], CultureInfo.InvariantCulture))];

    /// <summary>Polls <paramref name="url"/> until <paramref name="ready"/> holds for its text; fails naming <paramref name="what"/> and the last text.</summary>
    public static async Task<string> WaitAsync(HttpClient http, Uri url, Func<string, bool> ready, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await http.GetAsync(url);
            var text = response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : "";
            if (ready(text))
            {
                return text;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No {what} at {url}: {text}");
            await Task.Delay(250);
        }
    }

    /// <summary>A media playlist once it lists at least <paramref name="count"/> segments.</summary>
    public static Task<string> WaitForSegmentsAsync(HttpClient http, Uri url, int count) =>
        WaitAsync(http, url, text => Segments(text).Count >= count, $"{count} segments", TimeSpan.FromSeconds(20));

    /// <summary>A master playlist's variants once they satisfy <paramref name="ready"/>.</summary>
    public static async Task<IReadOnlyList<Variant>> WaitForVariantsAsync(HttpClient http, Uri master, Func<IReadOnlyList<Variant>, bool> ready, string what, TimeSpan? timeout = null) =>
        Variants(await WaitAsync(http, master, text => ready(Variants(text)), what, timeout ?? TimeSpan.FromSeconds(25)));

    private static List<string> Lines(string text) =>
        [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];

    private static Dictionary<string, string> Attributes(string list)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < list.Length)
        {
            var eq = list.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            var name = list[i..eq];
            string value;
            if (eq + 1 < list.Length && list[eq + 1] == '"')
            {
                var close = list.IndexOf('"', eq + 2);
                value = list[(eq + 2)..close];
                i = close + 2;
            }
            else
            {
                var comma = list.IndexOf(',', eq);
                value = comma < 0 ? list[(eq + 1)..] : list[(eq + 1)..comma];
                i = comma < 0 ? list.Length : comma + 1;
            }

            result[name] = value;
        }

        return result;
    }
}

/// <summary>The HLS workers' ffmpeg processes on this machine, found by the channel id in their command line.</summary>
public static class HlsWorkers
{
    public static bool Running(Guid channelId)
    {
        var id = channelId.ToString("N");
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (commandLine.StartsWith("ffmpeg\0", StringComparison.Ordinal) && commandLine.Contains($"/hls/{id}", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked.
            }
        }

        return false;
    }

    /// <summary>Waits until the channel's worker has no ffmpeg left and <paramref name="directory"/> is gone.</summary>
    public static async Task WaitGoneAsync(Guid channelId, string directory, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Running(channelId) || Directory.Exists(directory))
        {
            Assert.True(DateTime.UtcNow < deadline, "the HLS worker outlived its broadcast");
            await Task.Delay(200);
        }
    }
}
