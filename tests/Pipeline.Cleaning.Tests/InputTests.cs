using System.Text;
using Pipeline.Cleaning;
using Pipeline.Contracts;

namespace Pipeline.Cleaning.Tests;

public class InputTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string English = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties. "
        + "Officials said the plan would add twelve bus routes and cut fares for students.";

    [Fact]
    public void Empty_input_is_rejected()
    {
        var ex = Assert.Throws<InvalidDocumentException>(() => Cleaner.Clean([]));
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Whitespace_only_input_is_rejected()
    {
        Assert.Throws<InvalidDocumentException>(() => Cleaner.Clean("  \n\n \t "u8));
    }

    [Fact]
    public void Html_without_text_is_rejected()
    {
        Assert.Throws<InvalidDocumentException>(() => Cleaner.Clean("<html><body><script>x()</script><img src=a.png></body></html>"u8, "a.html"));
    }

    [Fact]
    public void Page_where_no_block_is_clearly_the_article_gives_its_best_candidate_with_a_low_confidence()
    {
        var html = "<html><body><div class=\"sidebar\"><p>Opening hours</p><p>Monday to Friday 9 to 17</p></div></body></html>";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html");

        Assert.Contains("Monday to Friday 9 to 17", article.Text, StringComparison.Ordinal);
        Assert.True(article.Metadata.Confidence < 0.5);
    }

    [Fact]
    public void Text_that_is_all_chrome_lines_is_returned_with_a_low_confidence()
    {
        var article = Cleaner.Clean("Home\nContact\nLogin\n"u8, "menu.txt");

        Assert.Equal("Home\n\nContact\n\nLogin", article.Text);
        Assert.True(article.Metadata.Confidence < 0.5);
    }

    [Fact]
    public void Article_that_stands_out_has_full_confidence()
    {
        var html = $"<html><body><article><p>{English}</p><p>{English}</p></article></body></html>";

        Assert.Equal(1.0, Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html").Metadata.Confidence);
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31, 0x2E, 0x34, 0x0A, 0x00, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D })]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x00, 0x00, 0x10, 0x11, 0x12, 0x00 })]
    public void Binary_input_is_rejected(byte[] content)
    {
        var ex = Assert.Throws<InvalidDocumentException>(() => Cleaner.Clean(content));
        Assert.Contains("binary", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Utf16_with_bom_is_decoded()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(English)).ToArray();

        var article = Cleaner.Clean(bytes, "story.txt");

        Assert.Equal(English, article.Text);
    }

    [Fact]
    public void Utf16_big_endian_with_bom_is_decoded()
    {
        var bytes = Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(English)).ToArray();

        Assert.Equal(English, Cleaner.Clean(bytes).Text);
    }

    [Fact]
    public void Windows_1252_text_is_decoded()
    {
        var text = "\u201CWe are ready,\u201D said the caf\u00E9 owner, who has run the business on the main square for thirty years, "
            + "adding that the new routes would bring more customers to the old town.";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(text);

        Assert.Equal(text, Cleaner.Clean(bytes, "story.txt").Text);
    }

    [Theory]
    [InlineData(932, "政府は月曜日、先週国会で可決された新しい法律が春に施行され、数千人に影響を与える見込みだと発表しました。関係者によると、準備は順調に進んでいるという。")]
    [InlineData(1251, "Правительство заявило в понедельник, что новый закон, который был принят парламентом на прошлой неделе, вступит в силу весной и затронет тысячи людей.")]
    public void Undeclared_legacy_charsets_in_plain_text_are_detected(int codePage, string story)
    {
        var text = string.Join("\n\n", Enumerable.Range(1, 4).Select(i => $"{i}. {story}"));
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(codePage)!.GetBytes(text);

        var article = Cleaner.Clean(bytes, "story.txt");

        Assert.Contains(story, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_in_a_charset_dotnet_refuses_is_an_invalid_document()
    {
        var html = $"<html><head><meta charset=\"utf-7\"><title>t</title></head><body><p>{English}</p></body></html>";

        var ex = Assert.Throws<InvalidDocumentException>(() => Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html"));

        Assert.Contains("utf-7", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The declaration was read from the bytes as ASCII, so a charset that does not read ASCII as ASCII (UTF-16 under its
    /// .NET names, UTF-32, EBCDIC) contradicts the bytes it stands in, and is not believed.
    /// </summary>
    [Theory]
    [InlineData("unicode")]
    [InlineData("ucs-2")]
    [InlineData("unicodefffe")]
    [InlineData("utf-16")]
    [InlineData("utf-32")]
    [InlineData("ibm037")]
    public void A_declared_charset_that_cannot_be_the_bytes_charset_is_not_believed(string charset)
    {
        var html = $"<html><head><meta charset=\"{charset}\"><title>t</title></head><body><article><p>{English}</p></article></body></html>";

        Assert.Equal(English, Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html").Text);
    }

    [Fact]
    public void Markdown_is_reduced_to_plain_paragraphs()
    {
        var md = "# Council approves transport budget\n\n*By Jane Doe*\n\n"
            + "The city council approved a **new budget** for public transport on Monday, after weeks of [debate](https://example.org/debate) "
            + "between the two main parties.\n\n![A tram](tram.jpg)\n\n## What changes\n\n"
            + "- Twelve new bus routes will open across the city, the council said in a statement on Monday.\n"
            + "- Fares will be cut for students, pensioners and people on low incomes, officials added.\n";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(md), "story.md");

        Assert.Equal("markdown", article.Format);
        Assert.Equal("Council approves transport budget", article.Title);
        Assert.Contains("approved a new budget for public transport on Monday, after weeks of debate between", article.Text, StringComparison.Ordinal);
        Assert.Contains("Twelve new bus routes will open", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("](", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("**", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("tram.jpg", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_is_recognised_without_a_file_name()
    {
        var md = "# Council approves transport budget\n\nThe city council approved a **new budget** for public transport on Monday, "
            + "after weeks of [debate](https://example.org/debate) between the two main parties.\n";

        Assert.Equal("markdown", Cleaner.Clean(Encoding.UTF8.GetBytes(md)).Format);
    }

    [Theory]
    [InlineData("en", "The government said on Monday that the new law, which was passed by parliament last week, would come into force in the spring and that it was expected to affect thousands of people.")]
    [InlineData("fr", "Le gouvernement a déclaré lundi que la nouvelle loi, qui a été adoptée par le parlement la semaine dernière, entrerait en vigueur au printemps et qu'elle concernerait des milliers de personnes.")]
    [InlineData("de", "Die Regierung sagte am Montag, dass das neue Gesetz, das in der vergangenen Woche vom Parlament verabschiedet wurde, im Frühjahr in Kraft treten und Tausende von Menschen betreffen wird.")]
    [InlineData("es", "El gobierno dijo el lunes que la nueva ley, que fue aprobada por el parlamento la semana pasada, entrará en vigor en la primavera y que se espera que afecte a miles de personas.")]
    [InlineData("vi", "Chính phủ cho biết vào thứ Hai rằng luật mới, được quốc hội thông qua tuần trước, sẽ có hiệu lực vào mùa xuân và dự kiến sẽ ảnh hưởng đến hàng nghìn người trong cả nước.")]
    [InlineData("ru", "Правительство заявило в понедельник, что новый закон, который был принят парламентом на прошлой неделе, вступит в силу весной и затронет тысячи людей по всей стране.")]
    [InlineData("ko", "정부는 월요일 지난주 국회를 통과한 새 법이 봄에 시행될 것이며 수천 명의 사람들에게 영향을 미칠 것으로 예상된다고 밝혔다.")]
    [InlineData("ja", "政府は月曜日、先週国会で可決された新しい法律が春に施行され、数千人に影響を与える見込みだと発表しました。")]
    public void Language_is_detected(string expected, string text)
    {
        Assert.Equal(expected, Cleaner.Clean(Encoding.UTF8.GetBytes(text), "story.txt").Language);
    }
}
