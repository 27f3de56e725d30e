using System.Text;
using Pipeline.Cleaning;
using Pipeline.Cleaning.Text;
using Pipeline.Testing;

namespace Pipeline.Cleaning.Tests;

public class ScrapedTextTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string Story1 = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";
    private const string Story2 = "Officials said the plan would add twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes.";
    private const string Story3 = "Opposition members argued that the cost, estimated at forty million euros, had not been explained properly to taxpayers.";
    private const string Story4 = "The mayor said the first new routes would open in the spring and that the council would publish a detailed timetable next month.";

    private static Pipeline.Contracts.CleanedArticle CleanText(string text) => Cleaner.Clean(Encoding.UTF8.GetBytes(text), "page.txt");

    [Fact]
    public void Wire_story_keeps_every_sentence_and_reads_the_date_marker()
    {
        var text = $" date 2021-05-04 Springfield (AP) – {Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}./.";

        var article = CleanText(text);

        Assert.Equal("2021-05-04", article.Metadata.PublishedAt);
        Assert.StartsWith("Springfield (AP) – The city council", article.Text, StringComparison.Ordinal);
        foreach (var sentence in new[] { Story1, Story2, Story3 })
        {
            Assert.Contains(sentence, article.Text, StringComparison.Ordinal);
        }

        Assert.EndsWith("detailed timetable next month.", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("./.", article.Text, StringComparison.Ordinal);
        Assert.Equal("text", article.Format);
        Assert.Equal("en", article.Language);
    }

    private const string LeadWithoutHeadline = "Springfield (AP) – Transport Minister Jane Doe and Mayor John Roe on Monday opened a new tram line "
        + "linking the northern suburbs with the city centre, which officials said would carry forty thousand passengers a day.";

    [Fact]
    public void Story_without_a_headline_gets_a_headline_length_title_from_its_lead_and_keeps_the_lead()
    {
        var article = CleanText($"{LeadWithoutHeadline}\n\n{Story1}\n\n{Story2}\n\n{Story3}");

        Assert.Equal("Transport Minister Jane Doe and Mayor John Roe on Monday opened a new tram line linking the northern…", article.Title);
        Assert.True(article.Metadata.TitleDerived);
        Assert.StartsWith(LeadWithoutHeadline, article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Short_lead_without_a_dateline_is_the_title_whole()
    {
        var lead = "The city council and the regional government on Monday agreed to share the cost of the new tram line, "
            + "ending a dispute that had delayed the project for three years and left the northern suburbs without service.";

        var article = CleanText($"{lead}\n\n{Story2}\n\n{Story3}");

        Assert.Equal("The city council and the regional government on Monday agreed to share the cost of the new tram line", article.Title);
        Assert.True(article.Metadata.TitleDerived);
    }

    [Fact]
    public void Headline_line_is_the_title_as_written_and_not_marked_derived()
    {
        var article = CleanText($"Council approves transport budget\n\n{Story1}\n\n{Story2}\n\n{Story3}");

        Assert.Equal("Council approves transport budget", article.Title);
        Assert.False(article.Metadata.TitleDerived);
    }

    [Fact]
    public void Headline_repeated_above_the_story_is_the_title_when_the_page_starts_with_a_menu()
    {
        const string Headline = "Council backs cheaper public transport for students";
        var page = "Home\nWorld\nBusiness\nSearch\n" + Headline + "\n\n" + Headline + "\n\n"
            + string.Join("\n\n", Story1, Story2, Story3, Story4) + "\n\nRelated News\n\nCopyright Example News.\n";

        var article = CleanText(page);

        Assert.Equal(Headline, article.Title);
        Assert.Contains(Story4, article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Home", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraphs_are_separated_by_exactly_one_blank_line()
    {
        var article = CleanText($"{Story1}\r\n\r\n\r\n\r\n{Story2}\n{Story3}\n\n\n{Story4}");

        Assert.Equal($"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}", article.Text);
    }

    [Fact]
    public void Related_news_lists_with_repeated_headlines_and_teasers_are_dropped()
    {
        var teaser = "A teaser paragraph of another story that summarises what happened there in a couple of sentences, with detail.";
        var text = $"Council approves transport budget\n\n{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}\n\n"
            + "Related News\n\nFactory output rises for third month\n\nFactory output rises for third month\n\n" + teaser + "\n"
            + "Heavy rain expected across the north\n\nHeavy rain expected across the north\n\n" + teaser.Replace("another", "a second", StringComparison.Ordinal) + "\n\n"
            + "Latest News\n\nLocal team wins the regional cup final\n\nLocal team wins the regional cup final\n\n"
            + teaser.Replace("another", "a third", StringComparison.Ordinal) + "\n\nRead More\n\nMobile Version";

        var article = CleanText(text);

        Assert.Equal($"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}", article.Text);
        Assert.Equal("Council approves transport budget", article.Title);
    }

    [Fact]
    public void Photo_caption_debris_and_repeated_lead_are_dropped()
    {
        var text = "Council approves transport budget\n\n" + Story1 + "\n\n"
            + "Council approves transport budget image 1\n\n"
            + "The mayor (left) speaks to reporters outside the town hall (Photo: City Press)\n\n"
            + Story1 + "\n\n" + Story2 + "\n\nPhoto: City Press\n\n" + Story3 + "\n\n" + Story4;

        var article = CleanText(text);

        Assert.Equal($"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}", article.Text);
    }

    [Fact]
    public void Source_trailer_and_site_domain_lines_are_dropped()
    {
        var text = $"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}\n\nSource: City Press\nnews.example.org\n\nMore News";

        var article = CleanText(text);

        Assert.Equal($"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}", article.Text);
    }

    [Fact]
    public void Menus_share_lines_and_cookie_notices_around_the_story_are_dropped()
    {
        var text = "Home\nWorld\nBusiness\nSport\nCulture\nSearch\n\nShare\nTweet\nEmail\n\n"
            + "Council approves transport budget\n\nBy Jane Doe\n\n"
            + $"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}\n\n"
            + "Share this article\n\nComments\n\nWe use cookies\n\nAccept\n\nAbout us\nContact\nPrivacy\n© 2024 Example Media";

        var article = CleanText(text);

        Assert.Equal($"{Story1}\n\n{Story2}\n\n{Story3}\n\n{Story4}", article.Text);
    }

    [Fact]
    public void Title_is_the_first_line_without_the_site_suffix()
    {
        var article = CleanText($"Council approves transport budget - Example News\n\n{Story1}\n\n{Story2}\n\n{Story3}");

        Assert.Equal("Council approves transport budget", article.Title);
    }

    [Fact]
    public void Title_skips_navigation_lines_at_the_top()
    {
        var article = CleanText($"Skip to content\nHome\nWorld\nCouncil approves transport budget\nBy Jane Doe\n{Story1}\n{Story2}\n{Story3}");

        Assert.Equal("Council approves transport budget", article.Title);
    }

    [Fact]
    public void Scraped_pages_in_the_seeds_folder_are_cleaned()
    {
        var files = Directory.GetFiles(RepositoryPaths.Seeds, "*.txt");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var article = Cleaner.Clean(File.ReadAllBytes(file), Path.GetFileName(file));
            Assert.DoesNotContain("Related News", article.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("(Photo:", article.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("./.", article.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Mobile Version", article.Text, StringComparison.Ordinal);
            var raw = File.ReadAllText(file);
            if (raw.TrimStart().StartsWith("date ", StringComparison.Ordinal))
            {
                // A clean wire story: every line of it survives (the date marker moves to the metadata).
                foreach (var line in raw.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Skip(1))
                {
                    Assert.Contains(line.Replace("./.", ".", StringComparison.Ordinal), article.Text, StringComparison.Ordinal);
                }

                Assert.NotNull(article.Metadata.PublishedAt);
            }
        }
    }
}

public class ScrapedTextChromeTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string P1 = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";
    private const string P2 = "Officials said the plan would add twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes.";
    private const string P3 = "Opposition members argued that the cost, estimated at forty million euros, had not been explained properly to taxpayers.";
    private const string P4 = "The mayor said the first new routes would open in the spring and that the council would publish a detailed timetable next month.";
    private const string P5 = "Business groups welcomed the decision, saying that better connections would help shops in the centre, which have lost customers to out-of-town malls.";

    private static string Clean(string text) => Cleaner.Clean(Encoding.UTF8.GetBytes(text), "page.txt").Text;

    [Fact]
    public void Reader_comments_after_the_story_are_dropped()
    {
        var text = $"{P1}\n{P2}\n{P3}\n{P4}\n\n12 Comments\n\n"
            + "jsmith says:\nMarch 18, 2024 at 9:14 am\nThis is the best decision the council has made in years, and I hope they keep going with it.\n"
            + "anna_k says:\nMarch 18, 2024 at 9:40 am\nI disagree completely, the money would have been better spent on fixing the roads we already have.\n"
            + "Leave a Reply\nSave my name, email, and website in this browser for the next time I comment.";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }

    [Fact]
    public void Photo_captions_with_credit_lines_are_dropped()
    {
        var text = $"{P1}\n{P2}\n"
            + "Buses wait at the central station before the morning rush.\nJane Roe/City Press/Example Images\n"
            + $"{P3}\nThe new tram line will run through the old town. Credit: City Press\n{P4}";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }

    [Fact]
    public void Related_links_newsletter_and_contact_lines_inside_the_story_are_dropped()
    {
        var text = $"{P1}\n{P2}\nRelated: Factory output rises for the third month in a row as orders recover\n{P3}\n"
            + "Sign up for our newsletter to get the latest local news in your inbox every morning.\n"
            + $"{P4}\nWrite to Jane Doe at jane.doe@example.org\nFollow us on Facebook, Twitter and Instagram";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }

    [Fact]
    public void A_related_box_inside_the_story_is_dropped_and_the_story_continues()
    {
        var text = $"{P1}\n{P2}\nMost read\nFactory output rises for third month\nHeavy rain expected across the north\n"
            + $"Local team wins the regional cup final\nMinister resigns over expenses row\n{P3}\n{P4}\n{P5}";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}\n\n{P5}", Clean(text));
    }

    [Fact]
    public void Byline_and_date_lines_before_the_story_are_dropped()
    {
        var text = "Council approves transport budget\nBy Jane Doe\nPublished March 18, 2024 09:30 am\n"
            + $"{P1}\n{P2}\n{P3}\n{P4}";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }

    [Fact]
    public void Headlines_run_into_their_blurbs_are_dropped()
    {
        var teasers = "Latest Headlines\nMayor Vows To Fight Cuts In School Budget The mayor said on Tuesday that the city would not accept the cuts proposed by the state.\n"
            + "Storm Brings Heavy Rain To The Coast Forecasters expect the rain to continue until Friday, with flooding possible in low areas.\n"
            + "Local Bakery Wins Award For The Best Bread In Region A family bakery in the old town has won the regional prize for the second time.";
        var text = $"{teasers}\n\n{P1}\n{P2}\n{P3}\n{P4}";

        Assert.Equal($"{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }

    private const string ShortLead = " man has been charged with arson after a fire that destroyed the town's only supermarket, police said.";

    private const string LongLead = " the council met on Monday to approve a new budget for public transport, officials said the plan would add "
        + "twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes, and the "
        + "mayor promised the first routes in the spring.";

    // Capitalised words then prose, like a headline run into its blurb: a lead after a time stamp, or a paragraph
    // opened by a run-in heading (as long as a paragraph, so no teaser's blurb).
    [Theory]
    [InlineData("Monday, July 22, 2013 A", ShortLead)]
    [InlineData("8: 05am UK, Monday 16 September 2013 A", ShortLead)]
    [InlineData("Updated: January 6, 2011, 11: 34 AM ET The", ShortLead)]
    [InlineData("Jul 13, 2009 01: 40 PM As", LongLead)]
    [InlineData("FALLOUT AFTER THE BUDGET VOTE As", LongLead)]
    public void A_lead_opened_by_a_time_stamp_or_a_run_in_heading_is_kept(string opening, string rest)
    {
        var lead = opening + rest;
        var text = $"Council approves transport budget\n\n{lead}\n\n{P3}\n\n{P4}";

        Assert.Equal($"{lead}\n\n{P3}\n\n{P4}", Clean(text));
    }

    [Fact]
    public void A_flattened_table_in_the_story_is_kept()
    {
        var rows = "Pos. Team Played Won Points\n1 Northside 12 9 28\n2 Riverside 12 8 25\n3 Hill United 12 7 22\n4 Old Town 12 5 17\n5 Harbour 12 2 8";
        var text = $"Home\nNews\nSport\n{P1}\n{rows}\n{P2}\n\nMore News\nShare\nTweet";

        var cleaned = Clean(text);

        Assert.Contains("3 Hill United 12 7 22", cleaned, StringComparison.Ordinal);
        Assert.StartsWith(P1, cleaned, StringComparison.Ordinal);
        Assert.EndsWith(P2, cleaned, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dated_list_after_the_story_is_kept()
    {
        var dates = "June 9 – West Harbour @ City Arena\nJune 10 – Northfield @ Riverside Hall\nJune 12 – Old Town @ Market Square\nJune 14 – Hill Park @ Open Air Stage";
        var text = $"Home\nNews\n{P1}\n{P2}\n{P3}\nTour dates\n{dates}\n\nShare\nTweet";

        Assert.Contains("June 12 – Old Town @ Market Square", Clean(text), StringComparison.Ordinal);
    }

    [Fact]
    public void A_lead_without_a_final_stop_next_to_the_story_is_kept()
    {
        var lead = "The council approved the transport plan after a long debate that split the two main parties in the chamber";
        var text = $"Home\nNews\nSport\n{lead}\n{P1}\n{P2}\n{P3}\n{P4}\nShare\nTweet";

        Assert.Equal($"{lead}\n\n{P1}\n\n{P2}\n\n{P3}\n\n{P4}", Clean(text));
    }
}

public class ScrapedTextMetadataTests
{
    private static readonly ArticleCleaner Cleaner = new();

    private const string P1 = "The city council approved a new budget for public transport on Monday, after weeks of debate between the two main parties.";
    private const string P2 = "Officials said the plan would add twelve bus routes, extend tram hours and cut fares for students, pensioners and people on low incomes.";
    private const string P3 = "Opposition members argued that the cost, estimated at forty million euros, had not been explained properly to taxpayers.";

    [Fact]
    public void Byline_and_date_lines_fill_the_metadata()
    {
        var text = $"Council approves transport budget\nBy Jane Doe and John Roe\nUpdated March 18, 2024 9:30 am\n{P1}\n{P2}\n{P3}";

        var article = Cleaner.Clean(Encoding.UTF8.GetBytes(text), "page.txt");

        Assert.Equal("2024-03-18", article.Metadata.PublishedAt);
        Assert.Equal(["Jane Doe", "John Roe"], article.Metadata.Authors);
        Assert.DoesNotContain("Jane Doe", article.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Published 19 Nov 2019", "2019-11-19")]
    [InlineData("November 19, 2019 at 6:21 AM", "2019-11-19")]
    [InlineData("Posted: 2019-11-19 08:03", "2019-11-19")]
    [InlineData("Sept. 3rd, 2021", "2021-09-03")]
    public void Dates_are_read_in_common_forms(string line, string expected)
    {
        Assert.Equal(expected, BylineReader.Date(line));
    }
}
