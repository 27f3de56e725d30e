using Pipeline.Contracts;

namespace Pipeline.Extraction.Tests;

/// <summary>Roles, aliases, coreference, dates, keywords and summary on sentences written for the tests.</summary>
public sealed class AnalysisTests
{
    private static readonly EntityExtractor Extractor = EntityExtractor.CreateDefault();

    private static Analysis.Entity Person(ExtractionResult r, string canonical)
    {
        var e = r.Entities.FirstOrDefault(x => x.Canonical == canonical);
        Assert.True(e is not null, $"no '{canonical}' among: {string.Join("; ", r.Entities.Select(x => $"{x.Type} {x.Canonical}"))}");
        Assert.Equal(EntityTypes.Person, e.Type);
        return e;
    }

    [Fact]
    public void Title_phrases_before_a_name_become_roles()
    {
        var r = Extractor.Analyze("Foreign Minister Wang Yi met Prime Minister Fumio Kishida in Tokyo on Monday.");
        Assert.Contains("Foreign Minister", Person(r, "Wang Yi").Roles);
        Assert.Contains("Prime Minister", Person(r, "Fumio Kishida").Roles);
        Assert.Contains(r.Entities, e => e.Canonical == "Tokyo" && e.Type == EntityTypes.Location);
    }

    [Fact]
    public void The_title_is_tagged_with_offsets_into_the_title()
    {
        const string title = "Angela Merkel visits Lisbon";
        var analysis = Extractor.Extract("The chancellor arrived on Monday for two days of talks.", null, title);

        var person = Assert.Single(analysis.TitleEntities!, m => m.Type == EntityTypes.Person);
        Assert.Equal("Angela Merkel", title[person.Start..person.End]);
        Assert.Contains(analysis.TitleEntities!, m => m.Text == "Lisbon" && title[m.Start..m.End] == "Lisbon");
        Assert.Null(Extractor.Extract("The chancellor arrived on Monday.").TitleEntities);
    }

    [Fact]
    public void A_title_case_headline_keeps_only_the_name_the_text_knows()
    {
        const string title = "Obama Overturns Bush Ruling On Species";
        var analysis = Extractor.Extract("President Barack Obama reversed the rule on Tuesday. Obama said science would guide policy.", null, title);

        Assert.Contains(analysis.TitleEntities!, m => m.Text == "Obama" && title[m.Start..m.End] == "Obama");
        Assert.DoesNotContain(analysis.TitleEntities!, m => m.Text.Contains("Overturns", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_of_the_text_is_found_in_the_title_where_the_tagger_left_it_out()
    {
        // A headline is a sentence without context: alone, the tagger reads neither "Colts" nor "Microsoft" as a name.
        const string colts = "Colts clinch playoff spot by beating Jags";
        var sports = Extractor.Extract("Quarterback Peyton Manning was nearly perfect as the Colts beat the host Jaguars, 31-24.", null, colts);
        const string patch = "Microsoft Releases Critical Patch For IE Zero Day Flaw";
        var software = Extractor.Extract("On Wednesday Microsoft issued an emergency patch for its Internet Explorer browser.", null, patch);

        Assert.Contains(sports.TitleEntities!, m => m.Text == "Colts" && colts[m.Start..m.End] == "Colts");
        Assert.Contains(software.TitleEntities!, m => m.Text == "Microsoft" && m.Start == 0 && m.Type == EntityTypes.Organization);
    }

    [Fact]
    public void A_very_long_line_is_analysed_up_to_the_limit()
    {
        // Megabytes of one line without a sentence break, names among the words (a data dump, a broken export).
        var text = new System.Text.StringBuilder();
        for (var i = 0; text.Length < 3 * EntityExtractor.MaxAnalysedLength; i++)
        {
            text.Append(i % 5 == 0 ? "Anna Keller met officials of Northwind Bank in Lisbon, " : "and prices of rice rose again ");
        }

        var r = Extractor.Analyze(text.ToString());

        Assert.Contains(r.Entities, e => e.Canonical == "Anna Keller" && e.Type == EntityTypes.Person);
        Assert.Contains(r.Entities, e => e.Canonical == "Lisbon" && e.Type == EntityTypes.Location);
        Assert.All(r.Analysis.Entities, m => Assert.True(m.End <= EntityExtractor.MaxAnalysedLength, $"mention at {m.Start}"));
    }

    [Fact]
    public void Apposition_after_a_name_is_a_role()
    {
        var r = Extractor.Analyze("The deal was announced by Ngozi Okonjo-Iweala, Director-General of the World Trade Organization, in Geneva.");
        var ngozi = Person(r, "Ngozi Okonjo-Iweala");
        Assert.Contains("Director-General", ngozi.Roles);
    }

    [Fact]
    public void Acronym_in_parentheses_is_an_alias()
    {
        var r = Extractor.Analyze(
            "The National Liberation Front (NLF) held talks in Algiers. A spokesman for the NLF said the talks went well.");
        var nlf = r.Entities.Single(e => e.Canonical == "National Liberation Front");
        Assert.Equal(EntityTypes.Organization, nlf.Type);
        Assert.Contains("NLF", nlf.Aliases);
        Assert.Equal(3, nlf.Count);
    }

    [Fact]
    public void Surname_and_initials_corefer_with_the_full_name()
    {
        var r = Extractor.Analyze(
            "President Vladimir Putin arrived in Hanoi on Tuesday. V. Putin held talks with Vietnamese leaders. " +
            "Later, Putin visited a factory.");
        var putin = Person(r, "Vladimir Putin");
        Assert.Contains("V. Putin", putin.Aliases);
        Assert.Contains("Putin", putin.Aliases);
        Assert.Equal(3, putin.Count);
        Assert.All(putin.Mentions, m => Assert.Equal("Vladimir Putin", m.Canonical));
    }

    [Fact]
    public void Title_and_surname_later_is_the_same_person()
    {
        var r = Extractor.Analyze(
            "Party General Secretary To Lam received a delegation in Hanoi. General Secretary Lam said the ties were strong.");
        var lam = Person(r, "To Lam");
        Assert.Contains("General Secretary", lam.Roles);
        Assert.Contains("Lam", lam.Aliases);
    }

    [Fact]
    public void Dates_resolve_against_the_publication_date()
    {
        var r = Extractor.Analyze(
            "The summit opened on March 4 and closed on 6 March. The plan was first discussed on November 20, 2019, " +
            "and a new round is due on Friday.", "2021-03-07");
        Assert.Equal("2021-03-07", r.Analysis.PublishedOn);
        Assert.Contains(r.Dates, d => d.Text == "March 4" && d.Date == "2021-03-04");
        Assert.Contains(r.Dates, d => d.Text == "6 March" && d.Date == "2021-03-06");
        Assert.Contains(r.Dates, d => d.Text == "November 20, 2019" && d.Date == "2019-11-20");
        Assert.Contains(r.Dates, d => d.Text == "Friday" && d.Date == "2021-03-05");
    }

    [Fact]
    public void Dates_without_a_reference_stay_unresolved()
    {
        var r = Extractor.Analyze("They met on August 13 in Ankara.");
        Assert.Null(r.Analysis.PublishedOn);
        Assert.Contains(r.Dates, d => d.Text == "August 13" && d.Date is null);
    }

    [Fact]
    public void Relative_dates_past_the_calendar_ends_stay_unresolved()
    {
        var r = Extractor.Analyze("The minister left yesterday and returns on Sunday.", "0001-01-01");
        Assert.Contains(r.Dates, d => d.Text == "yesterday" && d.Date is null);
        Assert.Contains(r.Dates, d => d.Text.EndsWith("Sunday", StringComparison.Ordinal) && d.Date is null);
        Assert.Contains(Extractor.Analyze("They meet again tomorrow.", "9999-12-31").Dates, d => d.Text == "tomorrow" && d.Date is null);
    }

    [Fact]
    public void Reuters_style_dateline_with_date_and_agency()
    {
        var a = Extractor.Extract("NAIROBI, March 3 (Reuters) - Kenya's central bank cut its main lending rate on Tuesday.", "2015-03-03");
        Assert.NotNull(a.Dateline);
        Assert.Equal("NAIROBI", a.Dateline.Place);
        Assert.Equal("Reuters", a.Dateline.Agency);
        Assert.Equal("2015-03-03", a.Dateline.Date);
    }

    [Fact]
    public void Text_without_a_dateline_has_none()
    {
        var a = Extractor.Extract("Prices of rice rose sharply this year, traders said.");
        Assert.Null(a.Dateline);
    }

    [Fact]
    public void Keywords_rank_the_topic_first()
    {
        var r = Extractor.Analyze(
            "Rice exports rose sharply this year. Rice exporters in the Mekong Delta said rice prices were high. " +
            "The government expects rice exports to grow again next year, while coffee exports fell.");
        Assert.NotEmpty(r.Analysis.Keywords);
        Assert.Contains("rice", r.Analysis.Keywords[0], StringComparison.OrdinalIgnoreCase);
        Assert.True(r.Keywords.Zip(r.Keywords.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void Summary_has_two_or_three_sentences_of_the_text()
    {
        string text =
            "The central bank raised its key interest rate by half a point on Wednesday to fight inflation. " +
            "Inflation reached its highest level in ten years last month, driven by food and energy prices. " +
            "Economists had expected a smaller increase in the interest rate. " +
            "The bank said further increases in the rate were possible if inflation stayed high. " +
            "Shares fell slightly after the announcement. " +
            "The currency gained against the dollar. " +
            "Bond yields rose across the board. " +
            "The next meeting of the bank is due in six weeks.";
        var a = Extractor.Extract(text);
        var sentences = a.Summary.Split(". ", StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(sentences.Length, 2, 3);
        foreach (var s in sentences)
        {
            Assert.Contains(s.TrimEnd('.'), text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Offsets_are_string_offsets_into_the_text()
    {
        string text = "Tổng Bí thư ghé thăm. Việt Nam and Russia signed a deal in Moscow, officials in Hà Nội said.";
        var a = Extractor.Extract(text);
        Assert.NotEmpty(a.Entities);
        foreach (var m in a.Entities)
        {
            Assert.Equal(m.Text, text[m.Start..m.End]);
        }

        Assert.Contains(a.Entities, m => m.Text == "Moscow" && m.Type == EntityTypes.Location);
    }

    [Fact]
    public void Extractor_is_thread_safe()
    {
        string text = "Prime Minister Pham Minh Chinh met Chinese Premier Li Qiang in Beijing on Friday.";
        static string Flat(DocumentAnalysis a) =>
            string.Join("; ", a.Entities.Select(m => $"{m.Type} {m.Text} {m.Start} {m.End} {m.Canonical} {string.Join(",", m.Roles ?? [])}"));
        string expected = Flat(Extractor.Extract(text));
        Assert.Contains("person Pham Minh Chinh", expected, StringComparison.Ordinal);
        var results = new string[16];
        Parallel.For(0, results.Length, i => results[i] = Flat(Extractor.Extract(text)));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n  ")]
    [InlineData("no capitals at all here, just words")]
    [InlineData("(((")]
    public void Degenerate_text_gives_an_empty_analysis(string text)
    {
        var a = Extractor.Extract(text);
        Assert.Empty(a.Entities);
        Assert.Null(a.Dateline);
    }
}
