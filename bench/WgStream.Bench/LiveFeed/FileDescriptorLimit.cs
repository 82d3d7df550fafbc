using System.Runtime.InteropServices;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Every viewer is a socket, and a socket is a file descriptor: the soft RLIMIT_NOFILE is raised
/// to the hard one before connecting (the Api processes started afterwards inherit it).
/// </summary>
public static partial class FileDescriptorLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Raises the soft limit to the hard limit; returns both, before and after.</summary>
    public static (ulong SoftBefore, ulong Soft, ulong Hard) RaiseToHard()
    {
        var limit = default(RLimit);
        if (getrlimit(RlimitNofile, ref limit) != 0)
        {
            throw new InvalidOperationException($"getrlimit failed: errno {Marshal.GetLastPInvokeError()}");
        }

        var before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            limit.Current = limit.Maximum;
            if (setrlimit(RlimitNofile, ref limit) != 0)
            {
                throw new InvalidOperationException($"setrlimit failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        getrlimit(RlimitNofile, ref limit);
        return (before, limit.Current, limit.Maximum);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, ref RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }
}
