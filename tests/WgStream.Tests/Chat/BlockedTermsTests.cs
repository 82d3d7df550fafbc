using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Chat;

namespace WgStream.Tests.Chat;

[Trait(TestKind.Name, TestKind.Unit)]

public sealed class BlockedTermsTests
{
    [Theory]
    [InlineData("you idiot")]
    [InlineData("YOU IDIOT!")]
    [InlineData("you ïdíöt")] // accents
    [InlineData("you Ідіот")] // Cyrillic look-alikes
    [InlineData("you 1d10t")] // digits for letters
    [InlineData("you id\u200Biot")] // a zero-width space between letters
    [InlineData("idiots, all of you")] // the wildcard
    [InlineData("bad   word here")] // a phrase across any spaces
    [InlineData("such a bad-word")] // or punctuation
    [InlineData("what a bad word!")] // a "!" after a word is not a letter glued to it
    public void Blocked_terms_match_through_case_accents_look_alikes_and_invisible_characters(string text) =>
        Assert.True(new BlockedTerms(["idiot*", "Bad Word"]).Matches(text));

    [Theory]
    [InlineData("idiomatic English")] // not the word
    [InlineData("badword")] // the phrase needs its words apart
    [InlineData("a bad day for words")]
    [InlineData("")]
    public void Other_words_pass(string text) =>
        Assert.False(new BlockedTerms(["idiot*", "bad word"]).Matches(text));

    [Fact]
    public void A_term_matches_whole_words_only_unless_it_has_a_wildcard()
    {
        Assert.False(new BlockedTerms(["ass"]).Matches("a classic pass"));
        Assert.True(new BlockedTerms(["ass"]).Matches("what an ass."));
        Assert.True(new BlockedTerms(["*ass*"]).Matches("a classic pass"));
    }

    [Fact]
    public void Terms_with_regex_characters_are_taken_literally()
    {
        var terms = new BlockedTerms(["c.a.t", "(x)+"]);
        Assert.True(terms.Matches("a c.a.t here"));
        Assert.False(terms.Matches("a cxaxt here"));
        Assert.False(terms.Matches("xxxx"));
    }

    [Fact]
    public void No_terms_match_nothing() => Assert.False(BlockedTerms.None.Matches("anything at all"));

    [Theory]
    [InlineData("  Bad   Word ", "bad word")]
    [InlineData("IDIOT*", "idiot*")]
    public void Terms_are_kept_trimmed_and_lower_case(string term, string kept) => Assert.Equal(kept, BlockedTerms.Normalize(term));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*")]
    [InlineData("a*")]
    [InlineData("this term is far longer than the fifty characters a term may have")]
    public void A_term_that_cannot_be_one_is_bad_input(string term) =>
        Assert.Equal(ErrorCodes.BadUserInput, Assert.Throws<WgException>(() => BlockedTerms.Normalize(term)).Code);
}
