using System.Reflection;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.AutoMod;

/// <summary>
/// The words AutoMod holds, by category and level, read once from the lexicons shipped in this
/// assembly (<c>Chat/AutoMod/lexicon.*.tsv</c>: one language each, the same categories). For each
/// filter level there is one matcher per category holding every term of that level or a lower one,
/// so a check is at most four linear-time scans of the message. Matching is that of blocked terms
/// (<see cref="BlockedTerms"/>): whole words, wildcards, case, accents and look-alikes folded.
/// </summary>
public sealed class AutoModLexicon
{
    private const string ResourcePrefix = "automod/lexicon.";

    private static readonly AutoModCategory[] TermCategories = [AutoModCategory.Slurs, AutoModCategory.Violence, AutoModCategory.Sexual, AutoModCategory.Insults];

    /// <summary>Matchers by level (index: <see cref="AutoModLevel"/>), then category, in the order checked: the worst first.</summary>
    private readonly (AutoModCategory Category, BlockedTerms Terms)[][] matchers;

    public AutoModLexicon()
        : this(ReadShipped())
    {
    }

    /// <summary>Private, and the shipped lexicon through the parameterless constructor: a public one taking an enumerable would be the one DI picks, with an empty list.</summary>
    private AutoModLexicon(IEnumerable<AutoModTerm> terms)
    {
        Terms = [.. terms];
        matchers = new (AutoModCategory, BlockedTerms)[(int)AutoModLevel.High + 1][];
        foreach (var level in Enum.GetValues<AutoModLevel>())
        {
            matchers[(int)level] = level == AutoModLevel.Off
                ? []
                : [.. TermCategories
                    .Select(category => (category, new BlockedTerms(Terms.Where(t => t.Category == category && t.Level <= level).Select(t => t.Term))))
                    .Where(m => m.Item2.Count > 0)];
        }
    }

    public IReadOnlyList<AutoModTerm> Terms { get; }

    /// <summary>A lexicon of other terms (tests).</summary>
    public static AutoModLexicon From(IEnumerable<AutoModTerm> terms) => new(terms);

    /// <summary>The category that makes AutoMod hold <paramref name="text"/> at <paramref name="level"/>, or null when nothing does.</summary>
    public AutoModCategory? Check(string text, AutoModLevel level) => level == AutoModLevel.Off ? null : Check(BlockedTerms.Prepare(text), level);

    /// <summary>As <see cref="Check(string, AutoModLevel)"/> for a message the room has folded once for all its lists.</summary>
    public AutoModCategory? Check(PreparedText text, AutoModLevel level)
    {
        foreach (var (category, terms) in matchers[(int)level])
        {
            if (terms.Matches(text))
            {
                return category;
            }
        }

        return null;
    }

    /// <summary>Parses one lexicon file; a line that is not "category, level, term" (tab-separated) is a mistake in the data and fails loudly.</summary>
    public static IEnumerable<AutoModTerm> Parse(string source, string content)
    {
        var number = 0;
        foreach (var raw in content.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length != 3
                || !Enum.TryParse<AutoModCategory>(parts[0], ignoreCase: true, out var category) || category == AutoModCategory.Links
                || !Enum.TryParse<AutoModLevel>(parts[1], ignoreCase: true, out var level) || level == AutoModLevel.Off)
            {
                throw new FormatException($"{source}:{number}: expected \"category<TAB>low|medium|high<TAB>term\", got \"{line}\".");
            }

            yield return new AutoModTerm(category, level, BlockedTerms.Normalize(parts[2]), source);
        }
    }

    private static IEnumerable<AutoModTerm> ReadShipped()
    {
        var assembly = typeof(AutoModLexicon).Assembly;
        var names = assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            throw new InvalidOperationException("No AutoMod lexicon is embedded in the grains assembly.");
        }

        return names.SelectMany(name => Parse(name, Read(assembly, name))).ToList();
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One lexicon entry: held from <see cref="Level"/> up; <see cref="Source"/> is the file it came from.</summary>
public sealed record AutoModTerm(AutoModCategory Category, AutoModLevel Level, string Term, string Source);
