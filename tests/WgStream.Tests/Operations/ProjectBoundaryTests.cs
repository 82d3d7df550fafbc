using System.Reflection;
using System.Text.RegularExpressions;

namespace WgStream.Tests.Operations;

/// <summary>
/// The Api depends on the contracts (GrainInterfaces), the gateways, the service defaults and the
/// hosting project, never on grain internals: what it needs from a feature is a grain interface, a
/// contract record or an options class in GrainInterfaces. Only WgStream.Hosting composes the
/// grains, so an Api node that is a cluster client runs none of their code. These checks fail on
/// the first new import rather than leaving it to a review.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed partial class ProjectBoundaryTests
{
    private static readonly Assembly Api = typeof(WgStream.Api.Hosting.ApiEndpoints).Assembly;

    [Fact]
    public void The_api_assembly_references_no_grain_internals()
    {
        // The compiler records an assembly reference only when a type of it is used, so this also
        // catches fully qualified names and types reached through a using alias.
        var references = Api.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("WgStream.GrainInterfaces", references);
        Assert.DoesNotContain("WgStream.Grains", references);
    }

    [Fact]
    public void No_api_source_file_names_a_grain_namespace()
    {
        // The reflection check above cannot see a using that is not needed any more, nor a cref;
        // both mislead the reader about where a type lives.
        var root = Path.Combine(RepoPaths.Root, "Api");
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => GrainNamespace().IsMatch(l.Text))
            .Select(l => $"{Path.GetRelativePath(RepoPaths.Root, l.File)}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "The Api names grain internals; move the type to GrainInterfaces (contracts), Gateways or Hosting:\n" + string.Join("\n", offenders));
    }

    [GeneratedRegex(@"\bWgStream\.Grains\b")]
    private static partial Regex GrainNamespace();
}
