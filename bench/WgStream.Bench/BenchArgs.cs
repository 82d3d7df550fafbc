using System.Globalization;

namespace WgStream.Bench;

/// <summary>The benchmarks' <c>--name value</c> options.</summary>
public static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    public static string Text(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
