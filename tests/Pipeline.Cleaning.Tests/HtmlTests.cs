using System.Text;
using Pipeline.Cleaning;

namespace Pipeline.Cleaning.Tests;

public class HtmlTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string P1 = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";
    private const string P2 = "Officials said the plan would add twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes.";
    private const string P3 = "Opposition members argued that the cost, estimated at forty million euros, had not been explained properly to taxpayers.";

    private static string Page(string head, string article) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head>{{head}}</head>
        <body>
          <header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav></header>
          <main>
            <article>
              <h1>Council approves transport budget</h1>
              <div class="byline">By Jane Doe</div>
              {{article}}
              <div class="share-buttons"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
            </article>
            <section class="related-articles"><h2>Related</h2>
              <ul><li><a href="/a">Factory output rises for third month in a row, figures show</a></li>
                  <li><a href="/b">Heavy rain expected across the north this weekend, forecasters say</a></li></ul>
            </section>
          </main>
          <footer><p>© 2024 Example Media. All rights reserved. About us, contact, privacy policy, terms of use.</p></footer>
        </body></html>
        """;

    [Fact]
    public void Article_is_extracted_without_navigation_share_related_and_footer()
    {
        var html = Page("<title>Council approves transport budget | Example News</title>", $"<p>{P1}</p><p>{P2}</p><p>{P3}</p>");

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html");

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", article.Text);
        Assert.Equal("Council approves transport budget", article.Title);
        Assert.Equal("html", article.Format);
        Assert.Equal("en", article.Language);
    }

    [Fact]
    public void Metadata_comes_from_meta_tags_open_graph_and_json_ld()
    {
        var head = """
            <meta charset="utf-8"><title>Council approves budget - Example News</title>
            <meta property="og:site_name" content="Example News">
            <meta name="description" content="The council approved the transport budget.">
            <link rel="canonical" href="https://news.example.org/council-budget">
            <script type="application/ld+json">
            {"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Example"},
             {"@type":"NewsArticle","headline":"Council approves transport budget","datePublished":"2024-03-18T09:30:00+01:00",
              "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}]}]}
            </script>
            """;
        var html = Page(head, $"<p>{P1}</p><p>{P2}</p><p>{P3}</p>");

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html));

        Assert.Equal("Council approves transport budget", article.Title);
        Assert.Equal("2024-03-18", article.Metadata.PublishedAt);
        Assert.Equal(["Jane Doe", "John Roe"], article.Metadata.Authors);
        Assert.Equal("Example News", article.Metadata.SiteName);
        Assert.Equal("https://news.example.org/council-budget", article.Metadata.CanonicalUrl);
        Assert.Equal("The council approved the transport budget.", article.Metadata.Description);
    }

    [Fact]
    public void Declared_charset_is_honoured()
    {
        var ru = "Городской совет утвердил новый бюджет для общественного транспорта в понедельник, после недель обсуждения. "
            + "Чиновники заявили, что план добавит двенадцать автобусных маршрутов и снизит цены для студентов и пенсионеров.";
        var html = Page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\">", $"<p>{ru}</p><p>{ru}</p>");
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetBytes(html);

        var article = Cleaner.Clean(bytes, "page.html");

        Assert.Contains("Городской совет утвердил", article.Text, StringComparison.Ordinal);
        Assert.Equal("ru", article.Language);
    }

    [Theory]
    [InlineData("shift_jis", 932, "政府は月曜日、先週国会で可決された新しい法律が春に施行され、数千人に影響を与える見込みだと発表しました。", "ja")]
    [InlineData("euc-kr", 949, "정부는 월요일 지난주 국회를 통과한 새 법이 봄에 시행될 것이며 수천 명의 사람들에게 영향을 미칠 것으로 예상된다고 밝혔다.", "ko")]
    [InlineData("gb2312", 936, "政府星期一表示，上周由议会通过的新法律将于春季生效，预计将影响全国数千人的生活和工作。", "zh")]
    [InlineData("iso-8859-1", 1252, "Le gouvernement a déclaré lundi que la nouvelle loi, adoptée par le parlement la semaine dernière, entrera en vigueur au printemps.", "fr")]
    public void Legacy_charsets_declared_in_meta_are_decoded(string charset, int codePage, string story, string language)
    {
        var html = $"<html><head><meta charset=\"{charset}\"><title>t</title></head><body><article><p>{story}</p><p>{story}</p></article></body></html>";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(codePage)!.GetBytes(html);

        var article = Cleaner.Clean(bytes, "page.html");

        Assert.Contains(story, article.Text, StringComparison.Ordinal);
        Assert.Equal(language, article.Language);
    }

    [Fact]
    public void Undeclared_non_utf8_charset_is_detected()
    {
        var fr = "Le conseil municipal a approuvé lundi un nouveau budget pour les transports publics, après des semaines de débat "
            + "entre les deux principaux partis. Les élus ont déclaré que le plan ajouterait douze lignes de bus à la ville.";
        var html = $"<html><body><article><p>{fr}</p><p>{fr}</p></article></body></html>";
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding(1252)!.GetBytes(html);

        var article = Cleaner.Clean(bytes, "page.html");

        Assert.Contains("a approuvé lundi", article.Text, StringComparison.Ordinal);
        Assert.Equal("fr", article.Language);
    }

    [Fact]
    public void Broken_markup_still_yields_the_article()
    {
        var html = $"<html><body><div class=content><p>{P1}<p>{P2}<div><b>{P3}</div></i></span></body>";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html));

        Assert.Contains(P1, article.Text, StringComparison.Ordinal);
        Assert.Contains(P2, article.Text, StringComparison.Ordinal);
        Assert.Contains(P3, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_does_not_overflow_the_stack()
    {
        var sb = new StringBuilder("<html><body>");
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("<div>");
        }

        sb.Append("<p>").Append(P1).Append("</p><p>").Append(P2).Append("</p>");
        sb.Append("</body></html>");

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(sb.ToString()), "deep.html");

        Assert.Contains(P1, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_elements_scripts_and_styles_are_ignored()
    {
        var html = Page(string.Empty, $"<p>{P1}</p><script>var x = 'not text';</script><style>p {{ color: red }}</style>"
            + $"<p style=\"display:none\">Hidden promotional text that nobody sees on the page.</p><p>{P2}</p><p>{P3}</p>");

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html));

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", article.Text);
    }

    [Fact]
    public void Gzip_compressed_html_is_accepted()
    {
        var html = Page(string.Empty, $"<p>{P1}</p><p>{P2}</p><p>{P3}</p>");
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest, true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(html));
        }

        var article = Cleaner.Clean(output.ToArray(), "page.html.gz");

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", article.Text);
    }

    [Fact]
    public void Cleaner_is_safe_to_share_between_threads()
    {
        var html = Encoding.UTF8.GetBytes(Page(string.Empty, $"<p>{P1}</p><p>{P2}</p><p>{P3}</p>"));
        var expected = Cleaner.Clean(html).Text;

        var results = new string[32];
        Parallel.For(0, results.Length, i => results[i] = Cleaner.Clean(html).Text);

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}

public class HtmlContentTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string P1 = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";
    private const string P2 = "Officials said the plan would add twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes.";
    private const string P3 = "Opposition members argued that the cost, estimated at forty million euros, had not been explained properly to taxpayers.";

    private static string Clean(string html) => Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html").Text;

    [Fact]
    public void Page_without_a_title_gets_a_headline_length_title_from_its_lead()
    {
        var lead = "WASHINGTON (Reuters) - The central bank and the finance ministry on Tuesday announced a joint plan to support "
            + "small lenders, after three regional banks reported heavy losses on commercial property loans last quarter.";
        var html = $"<html><body><article><p>{lead}</p><p>{P2}</p><p>{P3}</p></article></body></html>";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html");

        Assert.Equal("The central bank and the finance ministry on Tuesday announced a joint plan to support small lenders", article.Title);
        Assert.True(article.Metadata.TitleDerived);
        Assert.StartsWith(lead, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Comment_sections_and_sidebars_are_not_taken_for_the_article()
    {
        var comment = "<div class=\"comment\"><p>I think this is a great idea, and the council should have done it years ago, honestly.</p></div>";
        var html = "<html><body><div class=\"sidebar\"><ul><li><a href=\"/1\">Popular story one</a></li><li><a href=\"/2\">Popular story two</a></li></ul></div>"
            + $"<div class=\"story\"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
            + $"<div id=\"comments\">{comment}{comment}{comment}{comment}{comment}{comment}</div></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Embedded_posts_are_kept_and_read_more_spans_are_dropped()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}<span class=\"read-more-box\">Also on this site: another story entirely</span></p>"
            + "<div class=\"social-media-embed\"><blockquote class=\"twitter-tweet\"><p>Great news for everyone who takes the bus to work every day.</p></blockquote></div>"
            + $"<p>{P2}</p><p>{P3}</p></article></body></html>";

        var text = Clean(html);

        Assert.Contains("Great news for everyone who takes the bus", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Also on this site", text, StringComparison.Ordinal);
        Assert.StartsWith(P1, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Captions_and_link_lists_inside_the_article_are_dropped()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><figure><img src=\"a.jpg\"><figcaption>Buses at the central station (Photo: City Press)</figcaption></figure>"
            + $"<p>{P2}</p><ul><li><a href=\"/x\">Factory output rises for third month</a></li><li><a href=\"/y\">Heavy rain expected</a></li></ul>"
            + $"<p>{P3}</p><p>Advertisement</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void An_unclosed_button_in_the_header_does_not_swallow_the_article()
    {
        var html = "<html><body><header><div class=\"bar\"><button type=\"button\"><i class=\"icon\"></i></div></header>"
            + $"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Aria_hidden_content_is_kept_as_it_is_only_hidden_from_screen_readers()
    {
        var html = "<html><body><div class=\"page\" aria-hidden=\"true\">"
            + $"<article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></div><div hidden><p>{P3}</p></div></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void A_post_labelled_with_its_tags_and_categories_is_not_taken_for_a_tag_list()
    {
        var notice = "<p>Links on this blog lead to other sites, whose content I do not control and whose opinions I do not necessarily share.</p>";
        var html = "<html><body><div class=\"content\">"
            + $"<div class=\"post hentry tag-transport tag-budget category-local\"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
            + $"{notice}{notice}{notice}{notice}</div></body></html>";

        Assert.StartsWith($"{P1}\n\n{P2}\n\n{P3}", Clean(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_in_a_markup_template_script_is_read_but_templates_with_placeholders_are_not()
    {
        var html = "<html><body><div class=\"post-body\"><script type=\"text/template\">"
            + $"<p>{P1}</p><p>{P2}</p><p>{P3}</p></script></div>"
            + "<script type=\"text/template\"><p>{{comment.author}} wrote on {{comment.date}}, in reply to {{comment.parent}}:</p></script>"
            + "<script>var note = '<p>Not text of the page, only code that writes it somewhere else.</p>';</script></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_lead_that_the_page_description_repeats_is_kept_and_a_description_not_on_the_page_is_not_added(bool onPage)
    {
        const string Lead = "Buses will run more often and cost less from next spring, after a long fight over the money.";
        var intro = onPage ? $"<div class=\"hero-header\"><h1>Transport budget approved</h1><p class=\"intro\">{Lead}</p></div>" : string.Empty;
        var html = $"<html><head><meta name=\"description\" content=\"{Lead[..70]}...\"></head><body>"
            + "<nav><a href=\"/\">Home</a> <a href=\"/local\">Local</a></nav>"
            + $"{intro}<article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>";

        var expected = $"{P1}\n\n{P2}\n\n{P3}";
        Assert.Equal(onPage ? $"{Lead}\n\n{expected}" : expected, Clean(html));
    }

    [Fact]
    public void A_modal_dialog_is_not_taken_for_the_article()
    {
        var html = "<html><body><div class=\"contact-modal\"><div class=\"contact-content\">"
            + "<p>Write to us, call us or visit us, and we will answer your question, usually within two working days.</p>"
            + "<p>Our office is open from Monday to Friday, from nine in the morning, until five in the afternoon.</p></div></div>"
            + $"<div><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Subheadings_classed_as_headlines_are_kept_but_related_headings_are_not()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><h3 class=\"article-subheadline\">What changes for riders</h3><p>{P2}</p><p>{P3}</p>"
            + "<h3 class=\"related-headline\">More from the city desk</h3></article></body></html>";

        Assert.Equal($"{P1}\n\nWhat changes for riders\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void An_article_split_into_boxes_is_taken_whole_rather_than_its_densest_box()
    {
        const string Quote = "We listened to riders, drivers, cyclists, walkers, shop owners, parents, pupils, nurses, cleaners, "
            + "night workers, and, yes, to the critics, too, the mayor said.";
        static string Box(string text) => $"<div><div class=\"box\"><p>{text}</p></div></div>";
        var html = $"<html><body><article><div>{Box(P1)}{Box(Quote)}{Box(P2)}{Box(P3)}</div></article></body></html>";

        Assert.Equal($"{P1}\n\n{Quote}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void The_heading_of_a_pruned_link_list_goes_with_it()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><p>{P2}</p><p>{P3}</p><h3>More on this topic:</h3>"
            + "<ul><li><a href=\"/a\">Tram line extended to the airport next year</a></li>"
            + "<li><a href=\"/b\">Cycle lanes planned for the old town centre</a></li></ul></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Recipe_steps_and_ingredients_declared_in_json_ld_are_added_when_the_text_lacks_them()
    {
        var head = """
            <script type="application/ld+json">
            {"@context":"https://schema.org","@type":"Recipe","name":"Lentil soup",
             "recipeIngredient":["200 g red lentils","1 onion, chopped"],
             "recipeInstructions":[{"@type":"HowToSection","name":"Soup","itemListElement":[
               {"@type":"HowToStep","text":"Fry the onion in a little oil until soft."},
               {"@type":"HowToStep","text":"Add the lentils and one litre of water, then simmer for twenty minutes."}]}]}
            </script>
            """;
        var story = "<p>This soup got us through a cold winter, and it costs next to nothing to make for a whole family.</p>"
            + "<p>Fry the onion in a little oil until soft.</p>";
        var html = $"<html><head>{head}</head><body><article>{story}<p>{P1}</p></article></body></html>";

        var text = Clean(html);

        Assert.EndsWith("200 g red lentils\n\n1 onion, chopped\n\nAdd the lentils and one litre of water, then simmer for twenty minutes.",
            text, StringComparison.Ordinal);
        Assert.Equal(2, text.Split("Fry the onion").Length); // the step the story already has is not repeated
    }

    [Fact]
    public void Line_breaks_split_paragraphs_in_pages_without_p_tags()
    {
        var html = $"<html><body><td class=\"main\">{P1}<br><br>{P2}<br/>{P3}</td></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Inline_elements_in_cjk_text_are_separated_but_latin_words_stay_whole()
    {
        var ja = "パスワード管理ソフト<a href=\"/k\">KeePass</a>の起動ショートカットキーと同じなのです。設定を変更することにしました。";
        var html = $"<html><body><article><p>{ja}</p><p><b>W</b>hile the council debated the plan, officials prepared the new timetable for the bus routes.</p></article></body></html>";

        var text = Clean(html);

        Assert.Contains("ソフト KeePass の起動", text, StringComparison.Ordinal);
        Assert.Contains("While the council", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ruby_readings_are_dropped_and_links_between_cjk_letters_add_no_space()
    {
        var ja = "<ruby>子<rt>こ</rt></ruby>どもへの<a href=\"/d\">虐待</a>をなくすための<ruby><rb>法律</rb><rp>(</rp><rt>ほうりつ</rt><rp>)</rp></ruby>ができました。";
        var html = $"<html><body><article><p>{ja}</p><p>{P1}</p><p>{P2}</p></article></body></html>";

        Assert.Contains("子どもへの虐待をなくすための法律ができました。", Clean(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Self_closed_title_in_an_svg_icon_does_not_swallow_the_page()
    {
        var icon = "<a href=\"/fb\"><svg viewBox=\"0 0 10 10\"><title/><path d=\"M0 0h10v10z\"/></svg></a>";
        var html = $"<html><head><title>Budget</title></head><body><header>{icon}</header><article><p>{P1}</p><p>{P2}</p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Chrome_lines_in_other_languages_are_dropped()
    {
        var de = "Der Stadtrat hat am Montag nach wochenlanger Debatte einen neuen Haushalt für den öffentlichen Nahverkehr beschlossen.";
        var html = $"<html><body><div class=\"artikel-inhalt\"><p>{de}</p><p>{P2}</p><p>{P3}</p><p>Teilen</p><p>Weiterlesen</p>"
            + "<div class=\"kommentare\"><p>Das finde ich gut, aber viel zu spät, meine ich.</p></div></div></body></html>";

        Assert.Equal($"{de}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Lead_set_apart_in_the_article_header_comes_before_the_body()
    {
        var lead = "Twelve new bus routes, longer tram hours and cheaper fares: the council has agreed on how to spend forty million euros.";
        var html = "<html><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article>"
            + $"<header><h1>Council approves transport budget</h1><div class=\"teaser-text\"><p>{lead}</p></div></header>"
            + $"<div class=\"body\"><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1.Replace("Monday", "Tuesday", StringComparison.Ordinal)}</p></div>"
            + "</article></body></html>";

        Assert.StartsWith($"{lead}\n\n{P1}\n\n{P2}", Clean(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_prose_under_a_chrome_sounding_class_name_is_kept_but_a_long_comment_thread_is_not()
    {
        var steps = string.Concat(Enumerable.Range(1, 6).Select(i => $"<li>Step {i}: {P2}</li><li>{P3}</li>"));
        var comments = string.Concat(Enumerable.Range(1, 8).Select(_ => $"<p>{P3}</p>"));
        var html = $"<html><body><article><p>{P1}</p><p>{P2}</p>"
            + $"<div class=\"recipe-card header-align-left\"><ol>{steps}</ol></div>"
            + $"<div class=\"comment-list\">{comments}</div></article></body></html>";

        var text = Clean(html);

        Assert.Contains($"Step 6: {P2}", text, StringComparison.Ordinal);
        Assert.Equal(6, text.Split(P3).Length - 1); // the steps' own, none from the comments
    }

    [Fact]
    public void Responsive_visibility_classes_do_not_hide_content_but_hidden_does()
    {
        var html = "<html><body><article>"
            + $"<div class=\"hidden-xs\"><p>{P1}</p></div><div class=\"hidden\"><p>Screen readers only: skip to the next section of the page.</p></div>"
            + $"<p>{P2}</p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Entities_are_decoded()
    {
        var html = "<html><body><article><p>Fares will fall by 10&nbsp;% for students &amp; pensioners, the council&#8217;s "
            + "transport chief said on Monday, adding that &quot;nobody&quot; would pay more than before.</p></article></body></html>";

        Assert.Equal("Fares will fall by 10 % for students & pensioners, the council\u2019s transport chief said on Monday, adding that \"nobody\" would pay more than before.", Clean(html));
    }

    [Fact]
    public void Json_ld_article_body_stands_in_for_a_script_rendered_page()
    {
        var body = string.Join("\\n", Enumerable.Repeat(P1 + " " + P2, 3));
        var html = "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Budget\",\"articleBody\":\""
            + body + "\"}</script></head><body><div id=\"app\">Loading…</div></body></html>";

        var text = Clean(html);

        Assert.Contains(P2, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_caption_tag_outside_a_table_is_ignored_and_its_text_kept()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><p class=\"intro\"><caption>{P2}</caption></p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Marked_up_text_in_script_state_and_escaped_data_attributes_stands_in_for_an_empty_dom()
    {
        var html = "<html><body><div id=\"app\" data-props=\"{&quot;intro&quot;:&quot;\\u003cp\\u003e" + P1 + "\\u003c/p\\u003e&quot;}\">Loading…</div>"
            + "<script>window.__STATE__ = {\"id\":7,\"body\":\"<p>" + P2 + "<\\/p><p>" + P3 + "<\\/p>\"};</script></body></html>";

        var text = Clean(html);

        Assert.Contains(P1, text, StringComparison.Ordinal);
        Assert.Contains(P2, text, StringComparison.Ordinal);
        Assert.Contains(P3, text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_whose_label_is_hidden_is_not_taken_for_a_label()
    {
        static string Section(string text) => "<div class=\"paragraph paragraph--type--text\"><div class=\"content\">"
            + $"<div class=\"clearfix text-formatted field field--name-field-text field--label-hidden\"><p>{text}</p></div></div></div>";
        var html = "<html><body><article><div class=\"node__content\"><div class=\"field field--name-field-paragraphs\">"
            + $"{Section(P1)}{Section(P2)}{Section(P3)}</div></div></article></body></html>";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(html), "page.html");

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", article.Text);
        Assert.Equal(1.0, article.Metadata.Confidence); // found as the article, not read back from the page's text
    }

    [Fact]
    public void A_lead_in_a_header_named_as_one_is_kept_before_the_body()
    {
        var lead = "Twelve new bus routes, longer tram hours and cheaper fares: the council has agreed on how to spend forty million euros.";
        var html = "<html><body><article>"
            + $"<header class=\"post__header\"><h1>Council approves transport budget</h1><div class=\"post__lead\"><h2>{lead}</h2></div></header>"
            + $"<div class=\"post__content\"><p>{P1}</p><p>{P2}</p><p>{P3}</p></div></article></body></html>";

        Assert.Equal($"{lead}\n\n{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Text_fields_each_wrapped_in_an_item_of_their_own_are_taken_together()
    {
        const string Quote = "\u201cWe listened to riders, drivers, cyclists, walkers, shop owners, parents, pupils, nurses, cleaners, "
            + "night workers, and, yes, to the critics, too,\u201d the mayor said, \u201cand, in the end, everyone gets something.\u201d";
        static string Item(string text) => $"<div class=\"field__item\"><div class=\"paragraph\"><div class=\"text-formatted\"><p>{text}</p></div></div></div>";
        var html = "<html><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><main><div class=\"field field--name-field-content\">"
            + $"{Item(P1)}{Item(Quote + " " + Quote)}{Item(P2)}{Item(P3)}</div></main></body></html>";

        Assert.Equal($"{P1}\n\n{Quote} {Quote}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void The_heading_before_each_section_of_the_text_is_kept()
    {
        static string Section(string text) => $"<div class=\"section\"><p>{text}</p><p>{text}</p></div>";
        var html = $"<html><body><h2>Buses</h2>{Section(P1)}<h2>Trams</h2>{Section(P2)}<h4>Fares</h4>{Section(P3)}"
            + "<h2><a href=\"/more\">More news</a></h2><aside><a href=\"/a\">Other story</a></aside></body></html>";

        Assert.Equal($"Buses\n\n{P1}\n\n{P1}\n\nTrams\n\n{P2}\n\n{P2}\n\nFares\n\n{P3}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Image_legends_captions_and_metadata_inside_the_text_are_dropped()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><div class=\"image\"><div class=\"legend\">The new tram stop at the central station, opened last year.</div></div>"
            + $"<p>{P2}<span class=\"image-caption\">Buses at the depot (Photo: City Press)</span></p>"
            + $"<div class=\"img-metadata\"><span>Photo: City Press, archive</span></div><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void A_short_post_is_kept_alone_rather_than_with_the_text_of_the_whole_page()
    {
        const string Post = "I would invest in smart charging stations, and I wonder why nobody sells them at a fair price yet.";
        var widget = string.Concat(Enumerable.Range(1, 4).Select(i => $"<p>Story {i} of the week: {P2}</p>"));
        var html = "<html><body><div class=\"site\"><div class=\"content-area\"><article class=\"post\">"
            + $"<h1>Charging stations</h1><div class=\"entry-content\"><p>{Post}</p></div></article></div>"
            + $"<div class=\"widget-area\"><section class=\"rss\">{widget}</section></div></div></body></html>";

        Assert.Equal(Post, Clean(html));
    }

    [Fact]
    public void A_heading_is_kept_whatever_its_anchor_id_says()
    {
        var html = "<html><body><article>"
            + $"<p>{P1}</p><h2 id=\"what-comes-next\">What comes next for riders</h2><p>{P2}</p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\nWhat comes next for riders\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Theory]
    [InlineData("Lesen Sie auch")]
    [InlineData("Zobacz także:")]
    [InlineData("See also")]
    public void A_see_also_line_before_other_stories_is_dropped(string line)
    {
        var html = $"<html><body><article><p>{P1}</p><p>{P2}</p><p><strong>{line}</strong></p><p>{P3}</p></article></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void Text_in_page_builder_widgets_is_kept_but_the_theme_widgets_are_not()
    {
        static string Widget(string text) => "<div class=\"elementor-element elementor-widget elementor-widget-text-editor\">"
            + $"<div class=\"elementor-widget-container\"><div class=\"elementor-text-editor\"><p>{text}</p></div></div></div>";
        var html = "<html><body><div class=\"site\"><div class=\"entry-content\"><div class=\"elementor-widget-wrap\">"
            + $"{Widget(P1)}{Widget("Earrings: Leaf Combo")}{Widget(P2)}{Widget(P3)}</div></div>"
            + $"<div class=\"widget widget_text\"><p>{P3.Replace("taxpayers", "readers", StringComparison.Ordinal)}</p></div></div></body></html>";

        Assert.Equal($"{P1}\n\nEarrings: Leaf Combo\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void An_article_split_into_sections_each_in_wrappers_of_its_own_is_taken_whole()
    {
        const string Quote = "\u201cWe listened to riders, drivers, cyclists, walkers, shop owners, parents, pupils, nurses, cleaners, "
            + "night workers, and, yes, to the critics, too,\u201d the mayor said.";
        static string Part(int n, params string[] texts) => $"<div class=\"frame-{n}\"><div class=\"wrap\"><section class=\"part\">"
            + string.Concat(texts.Select(t => $"<p>{t}</p>")) + "</section></div></div><div class=\"slot\"></div>";
        var html = "<html><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><div class=\"page\">"
            + $"{Part(1, P1, Quote)}{Part(2, P2)}{Part(3, P3)}</div></body></html>";

        Assert.Equal($"{P1}\n\n{Quote}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void A_list_of_teasers_beside_the_article_is_not_taken_for_more_of_it()
    {
        static string Teaser(int n) => $"<div class=\"item item-{n}\"><h3><a href=\"/story-{n}\">Story number {n} of the week in the city</a></h3>"
            + "<p>Trams, buses, bikes, parks, schools, taxes, rents, roads, bridges, markets, museums, libraries, pools, "
            + "theatres, clubs, shops, cafés, bakeries, and, again, the weather.</p></div>";
        var html = "<html><body><div class=\"story\">"
            + $"<p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p><p>{P2}</p><p>{P3}</p></div>"
            + $"<div class=\"box\">{Teaser(1)}{Teaser(2)}{Teaser(3)}</div></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P1}\n\n{P2}\n\n{P3}", Clean(html));
    }

    [Fact]
    public void The_slides_of_a_home_page_slideshow_are_not_taken_for_its_text()
    {
        static string Slide(string offer) => $"<div class=\"slide\"><div class=\"textbox\"><p>{offer}, ready to ship, tested, "
            + "certified, insured, delivered, installed, serviced, and, of course, at a fair price, as always.</p></div></div>";
        var html = "<html><body><div class=\"slideshow\"><div class=\"stage\">"
            + $"{Slide("Printers for every use")}{Slide("Labels in every size")}{Slide("Ribbons for every printer")}</div></div>"
            + $"<main><div class=\"wrapper\"><p>{P1}</p><p>{P2}</p><p>{P3}</p><p>{P1}</p></div></main></body></html>";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P1}", Clean(html));
    }
}
