using System.Runtime.InteropServices;

namespace WgStream.Api.Hosting;

/// <summary>
/// Every viewer holds a socket, and a socket is a file descriptor. Many systems start services
/// with a soft RLIMIT_NOFILE of 1,024 under a much higher hard limit, which would cap a node at
/// about a thousand viewers. The .NET runtime raises the soft limit as it starts on Linux (with
/// <c>ulimit -S -n 4096</c> the log still says "was 20000"); the Api makes sure of it, for hosts
/// that run it differently, and logs both limits so an operator sees the ceiling without guessing.
/// </summary>
public static class OpenFilesLimit
{
    private const int RlimitNofile = 7;

    /// <summary>Raises the soft limit to the hard limit on Linux; logs what it found and what it set.</summary>
    public static void RaiseToHard(ILogger logger)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        if (getrlimit(RlimitNofile, out var limit) != 0)
        {
            logger.LogWarning("Could not read the open files limit (errno {Errno})", Marshal.GetLastPInvokeError());
            return;
        }

        var before = limit.Current;
        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (setrlimit(RlimitNofile, in raised) != 0)
            {
                logger.LogWarning("Could not raise the open files limit from {Soft} to {Hard} (errno {Errno})", before, limit.Maximum, Marshal.GetLastPInvokeError());
                return;
            }

            limit = raised;
        }

        logger.LogInformation("Open files limit: soft {Soft} (was {Before}), hard {Hard}; each viewer connection takes one", limit.Current, before, limit.Maximum);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out RLimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, in RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct RLimit(ulong Current, ulong Maximum);
}
