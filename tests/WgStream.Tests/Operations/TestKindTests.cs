using System.Reflection;

namespace WgStream.Tests.Operations;

/// <summary>Every test class says which kind it is, so <c>--filter Kind=unit|integration|browser</c> runs the whole of one kind.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class TestKindTests
{
    [Fact]
    public void Every_test_class_has_one_known_kind()
    {
        string[] known = [TestKind.Unit, TestKind.Integration, TestKind.Browser];
        var classes = typeof(TestKindTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .ToList();
        Assert.True(classes.Count > 100, $"only {classes.Count} test classes found");

        var wrong = classes
            .Select(t => (Type: t, Kinds: KindsOf(t)))
            .Where(c => c.Kinds.Count != 1 || !known.Contains(c.Kinds[0]))
            .Select(c => $"{c.Type.FullName}: [{string.Join(", ", c.Kinds)}]")
            .ToList();
        Assert.True(wrong.Count == 0, "Test classes without exactly one Kind trait:\n" + string.Join("\n", wrong));
    }

    /// <summary>Browser tests are the ones that drive Chromium; nothing else may claim or skip that kind.</summary>
    [Fact]
    public void Browser_tests_and_only_they_use_the_browser_fixtures()
    {
        var mislabelled = typeof(TestKindTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .Where(t =>
            {
                var browser = t.GetConstructors().SelectMany(c => c.GetParameters())
                    .Any(p => typeof(Web.WebFixture).IsAssignableFrom(p.ParameterType) || System.Text.RegularExpressions.Regex.IsMatch(p.ParameterType.Name, "^Web[A-Z]"));
                var labelled = KindsOf(t).Contains(TestKind.Browser);
                return browser != labelled;
            })
            .Select(t => t.FullName)
            .ToList();
        Assert.True(mislabelled.Count == 0, "Kind=browser does not match the use of a browser fixture:\n" + string.Join("\n", mislabelled));
    }

    // xUnit v2's TraitAttribute keeps its name and value only as constructor arguments.
    private static List<string> KindsOf(Type type) =>
        type.GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == TestKind.Name)
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .ToList();
}
