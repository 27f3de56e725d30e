namespace Pipeline.Storage.Tests;

public class Fts5QueryTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("*")]
    [InlineData("\"\"")]
    [InlineData("\"")]
    [InlineData("or OR")]
    [InlineData("-excluded")]
    [InlineData("'; -- ( ) ^ : *")]
    public void Queries_without_words_build_nothing(string? text) => Assert.Null(Fts5Query.Build(text));

    [Theory]
    [InlineData("mekong", "((\"mekong\"))")]
    [InlineData("mekong delta", "((\"mekong\" AND \"delta\"))")]
    [InlineData("\"mekong delta\" trade", "((\"mekong delta\" AND \"trade\"))")]
    [InlineData("hanoi or saigon", "((\"hanoi\") OR (\"saigon\"))")]
    [InlineData("trade -rice", "((\"trade\")) NOT \"rice\"")]
    [InlineData("\"unbalanced quote", "((\"unbalanced quote\"))")]
    [InlineData("title:x NEAR(a b) c*", "((\"title:x\" AND \"NEAR(a\" AND \"b)\" AND \"c*\"))")]
    [InlineData("'; DROP TABLE documents; --", "((\"DROP\" AND \"TABLE\" AND \"documents;\"))")]
    public void Terms_are_quoted_so_nothing_is_read_as_syntax(string text, string expected) =>
        Assert.Equal(expected, Fts5Query.Build(text));
}
