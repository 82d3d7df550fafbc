using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// docs/configuration.md lists every setting the options classes bind, with its shipped default:
/// a new or renamed option, or a changed default, fails here until the reference is regenerated
/// (<c>WG_UPDATE_CONFIG_DOCS=1</c>), so operators never read a stale one.
/// </summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class ConfigurationReferenceTests
{
    private static string Committed => Path.Combine(RepoPaths.Root, "docs", "configuration.md");

    [Fact]
    public void The_configuration_reference_lists_every_option_with_its_default()
    {
        var generated = ConfigurationReference.Generate();
        if (Environment.GetEnvironmentVariable("WG_UPDATE_CONFIG_DOCS") == "1")
        {
            File.WriteAllText(Committed, generated);
        }

        Assert.True(File.Exists(Committed), "docs/configuration.md is missing: run the tests with WG_UPDATE_CONFIG_DOCS=1.");
        var committed = File.ReadAllText(Committed).ReplaceLineEndings("\n");
        Assert.True(
            committed == generated,
            "docs/configuration.md differs from the options classes (a setting was added, renamed or its default changed): run the tests with WG_UPDATE_CONFIG_DOCS=1.");

        // The generator itself: sections and nested keys are there, with defaults read from the classes.
        Assert.Contains("## `Chat` (`ChatOptions`)", generated, StringComparison.Ordinal);
        Assert.Contains("| `Chat:MaxMessageLength` | `500` |", generated, StringComparison.Ordinal);
        Assert.Contains("| `Clips:CreatePerAccount:", generated, StringComparison.Ordinal);
    }
}
