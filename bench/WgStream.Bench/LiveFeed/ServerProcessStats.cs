using System.Globalization;
using System.Runtime.InteropServices;

namespace WgStream.Bench.LiveFeed;

/// <summary>CPU time and resident memory of the server processes, from <c>/proc</c>.</summary>
public static partial class ServerProcessStats
{
    private const int ScClkTck = 2;

    /// <summary>The unit of utime and stime in <c>/proc/&lt;pid&gt;/stat</c> (USER_HZ, normally 100).</summary>
    public static long ClockTicksPerSecond { get; } = sysconf(ScClkTck) is > 0 and var ticks ? ticks : 100;

    /// <summary>User plus system CPU of all the processes, in clock ticks.</summary>
    public static long CpuTicks(IEnumerable<int> pids)
    {
        long ticks = 0;
        foreach (var pid in pids)
        {
            // The command name (field 2) is in parentheses and may hold spaces: count fields after
            // the last ')'. There the state is the first, utime the 12th and stime the 13th.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }

        return ticks;
    }

    public static TimeSpan CpuTime(long ticks) => TimeSpan.FromSeconds((double)ticks / ClockTicksPerSecond);

    /// <summary>VmRSS of all the processes together, in KiB.</summary>
    public static long RssKiB(IEnumerable<int> pids)
    {
        long kib = 0;
        foreach (var pid in pids)
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            kib += line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return kib;
    }

    /// <summary>The 1-minute load average: the machine is shared, and the figures mean little without it.</summary>
    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sysconf(int name);
}
