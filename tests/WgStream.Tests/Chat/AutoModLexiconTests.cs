using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat.AutoMod;

namespace WgStream.Tests.Chat;

/// <summary>The shipped lexicons, the filter levels over them, and link finding.</summary>
[Trait(TestKind.Name, TestKind.Unit)]
public sealed class AutoModLexiconTests
{
    private static readonly AutoModLexicon Shipped = new();

    [Fact]
    public void Both_shipped_lexicons_load_with_every_category_and_level()
    {
        var terms = Shipped.Terms;
        foreach (var language in new[] { "automod/lexicon.en.tsv", "automod/lexicon.uk.tsv" })
        {
            var theirs = terms.Where(t => t.Source == language).ToList();
            Assert.True(theirs.Count >= 40, $"{language} has {theirs.Count} terms.");
            foreach (var category in new[] { AutoModCategory.Insults, AutoModCategory.Slurs, AutoModCategory.Sexual, AutoModCategory.Violence })
            {
                Assert.Contains(theirs, t => t.Category == category);
            }

            Assert.Contains(theirs, t => t.Level == AutoModLevel.Low);
            Assert.Contains(theirs, t => t.Level == AutoModLevel.High);
        }

        // A term listed twice at different levels would make its level depend on file order.
        Assert.Empty(terms.GroupBy(t => t.Term).Where(g => g.Select(t => (t.Category, t.Level)).Distinct().Count() > 1).Select(g => g.Key));
    }

    [Theory]
    [InlineData("you are an idiot", AutoModLevel.High, AutoModCategory.Insults)]
    [InlineData("you are an 1d10t", AutoModLevel.High, AutoModCategory.Insults)]
    [InlineData("ти ідіот", AutoModLevel.High, AutoModCategory.Insults)]
    [InlineData("ТИ ПРИДУРОК!", AutoModLevel.High, AutoModCategory.Insults)]
    [InlineData("just kys already", AutoModLevel.Low, AutoModCategory.Violence)]
    [InlineData("k i l l yourself", AutoModLevel.Off, null)]
    [InlineData("kill   yourself", AutoModLevel.Low, AutoModCategory.Violence)]
    [InlineData("send nudes pls", AutoModLevel.Medium, AutoModCategory.Sexual)]
    [InlineData("щоб ти здох", AutoModLevel.Low, AutoModCategory.Violence)]
    [InlineData("я тебе вб'ю тебе", AutoModLevel.Low, AutoModCategory.Violence)]
    public void A_term_is_held_from_its_level_up(string text, AutoModLevel from, AutoModCategory? category)
    {
        foreach (var level in Enum.GetValues<AutoModLevel>())
        {
            Assert.Equal(level >= from && from != AutoModLevel.Off ? category : null, Shipped.Check(text, level));
        }
    }

    [Theory]
    [InlineData("what an idiomatic phrase")]
    [InlineData("skills and killers")]
    [InlineData("Scunthorpe United won")]
    [InlineData("a cocktail at the bar")]
    [InlineData("привіт, як справи?")]
    [InlineData("")]
    public void Ordinary_words_that_contain_a_term_are_not_held_even_at_high(string text) =>
        Assert.Null(Shipped.Check(text, AutoModLevel.High));

    [Fact]
    public void A_broken_lexicon_line_names_its_file_and_line()
    {
        var e = Assert.Throws<FormatException>(() => AutoModLexicon.Parse("test.tsv", "# comment\ninsults\thigh\tok\ninsults high nope\n").ToList());
        Assert.StartsWith("test.tsv:3:", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => AutoModLexicon.Parse("t", "links\tlow\tspam").ToList());
        Assert.Throws<FormatException>(() => AutoModLexicon.Parse("t", "insults\toff\tspam").ToList());
        Assert.Throws<WgException>(() => AutoModLexicon.Parse("t", "insults\tlow\t*").ToList());
        var custom = AutoModLexicon.From(AutoModLexicon.Parse("t", "violence\tmedium\tbonk*"));
        Assert.Equal(AutoModCategory.Violence, custom.Check("BONKED", AutoModLevel.Medium));
        Assert.Null(custom.Check("bonked", AutoModLevel.Low));
    }

    [Theory]
    [InlineData("see https://scam.example/free", "scam.example")]
    [InlineData("go to free-nitro.com now", "free-nitro.com")]
    [InlineData("WWW.Example.COM/path?x=1", "www.example.com")]
    [InlineData("http://192.168.1.10:8080/x", "192.168.1.10")]
    [InlineData("сайт.укр", "сайт.укр")]
    [InlineData("a.com,b.net", "a.com b.net")]
    [InlineData("mail me at bob@example.com", "")]
    [InlineData("ok.so what now", "")]
    [InlineData("version 1.2.3.4 is out", "")]
    [InlineData("pi is 3.14, e.g. this", "")]
    public void Links_are_found_by_scheme_or_by_a_common_top_level_domain(string text, string hosts) =>
        Assert.Equal(hosts, string.Join(' ', ChatLinks.Hosts(text)));

    [Fact]
    public void An_allowed_domain_allows_its_subdomains_and_nothing_that_only_ends_like_it()
    {
        string[] allowed = ["youtube.com"];
        Assert.Null(ChatLinks.FirstDisallowed("https://youtube.com/watch and m.youtube.com", allowed, []));
        Assert.Equal("notyoutube.com", ChatLinks.FirstDisallowed("notyoutube.com", allowed, []));
        Assert.Equal("youtube.com.evil.io", ChatLinks.FirstDisallowed("https://youtube.com.evil.io/", allowed, []));
        Assert.Null(ChatLinks.FirstDisallowed("wg.tv", allowed, ["wg.tv"]));
    }

    [Theory]
    [InlineData("https://WWW.YouTube.com/watch?v=1", "youtube.com")]
    [InlineData("  twitch.tv. ", "twitch.tv")]
    [InlineData("sub.example.co.uk:443", "sub.example.co.uk")]
    public void Domains_are_kept_normalised(string input, string kept) => Assert.Equal(kept, ChatLinks.NormalizeDomain(input));

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("-bad-.com")]
    [InlineData("exa mple.com")]
    [InlineData("1.2.3.4")]
    public void A_domain_that_cannot_be_one_is_bad_input(string input)
    {
        var e = Assert.Throws<WgException>(() => ChatLinks.NormalizeDomain(input));
        Assert.Equal(ErrorCodes.BadUserInput, e.Code);
        Assert.Equal("domains", e.Field);
    }
}
