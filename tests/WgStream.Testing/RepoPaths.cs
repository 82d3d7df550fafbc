namespace WgStream.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the test assembly runs from tests/WgStream.Tests/bin/&lt;Configuration&gt;/&lt;framework&gt;.</summary>
    public static string Root { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    public static string Configuration { get; } = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);

    public static string Framework { get; } = Path.GetFileName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
}
