using System.Text;
using Pipeline.Cleaning;
using Pipeline.Contracts;

namespace Pipeline.Cleaning.Tests;

public class RobustnessTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string Story = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";

    [Theory]
    [InlineData("<")]
    [InlineData("<<<<<<>>>>")]
    [InlineData("<a")]
    [InlineData("<!--")]
    [InlineData("<html><script>")]
    [InlineData("<html><body><p>&#xFFFFFFFF; &#0; &bogus; &amp</p></body></html>")]
    [InlineData("<html><body><div class=\"unterminated>text")]
    [InlineData("<html><body><title>")]
    [InlineData("<?xml version=\"1.0\"?><html><body><![CDATA[ x ]]></body></html>")]
    [InlineData("<html><body></div></div></span></p></li></table></body></html>")]
    public void Malformed_input_never_throws_anything_but_invalid_document(string input)
    {
        foreach (var name in new[] { "a.html", "a.txt", null })
        {
            try
            {
                var article = Cleaner.Clean(Encoding.UTF8.GetBytes(input), name);
                Assert.NotNull(article.Text);
            }
            catch (InvalidDocumentException ex)
            {
                Assert.DoesNotContain('\n', ex.Message);
            }
        }
    }

    [Fact]
    public void Random_bytes_never_throw_anything_but_invalid_document()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(1, 4000)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
            {
                // Mostly printable noise with some markup characters.
                for (var k = 0; k < bytes.Length; k++)
                {
                    bytes[k] = (byte)"<>/=\"' abcdefghijklmnop\n&;#!-"[bytes[k] % 29];
                }
            }

            try
            {
                Cleaner.Clean(bytes, i % 3 == 0 ? "x.html" : null);
            }
            catch (InvalidDocumentException)
            {
                // expected for noise
            }
        }
    }

    [Fact]
    public void Many_unclosed_elements_stay_fast()
    {
        var sb = new StringBuilder("<html><body>");
        for (var i = 0; i < 50_000; i++)
        {
            sb.Append("<a href=x><span><b>");
        }

        sb.Append("<p>").Append(Story).Append("</p></body></html>");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(sb.ToString()), "a.html");

        Assert.Contains("city council", article.Text, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Very_long_single_line_text_is_handled()
    {
        var text = string.Concat(Enumerable.Repeat(Story + " ", 20_000));

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(text), "a.txt");

        Assert.True(article.Text.Length > 1_000_000);
    }
}
