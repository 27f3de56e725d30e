using Pipeline.Contracts;

namespace Pipeline.Extraction.Tests;

/// <summary>Names from outside CoNLL-2003's 1996 Reuters world, in sentences written for these tests.</summary>
public sealed class NamesTests
{
    private static readonly EntityExtractor Extractor = EntityExtractor.CreateDefault();

    [Theory]
    [InlineData("Vietnamese Deputy Prime Minister Tran Luu Quang visited Da Nang on Sunday.", "Tran Luu Quang", "Da Nang")]
    [InlineData("Prime Minister Pham Minh Chinh chaired a meeting in Hanoi to review public investment.", "Pham Minh Chinh", "Hanoi")]
    [InlineData("Chinese President Xi Jinping arrived in Hanoi for a two-day state visit.", "Xi Jinping", "Hanoi")]
    [InlineData("The report was presented by economist Zhang Wenhua at a forum in Shenzhen.", "Zhang Wenhua", "Shenzhen")]
    [InlineData("Saudi Foreign Minister Faisal bin Farhan held talks with his counterpart in Riyadh.", "Faisal bin Farhan", "Riyadh")]
    [InlineData("Egyptian President Abdel Fattah al-Sisi received the delegation in Cairo.", "Abdel Fattah al-Sisi", "Cairo")]
    [InlineData("Nigerian author Chimamanda Ngozi Adichie spoke at a festival in Lagos.", "Chimamanda Ngozi Adichie", "Lagos")]
    [InlineData("Kenyan runner Eliud Kipchoge won the race in Berlin.", "Eliud Kipchoge", "Berlin")]
    [InlineData("Ghanaian President Nana Akufo-Addo opened the summit in Accra.", "Nana Akufo-Addo", "Accra")]
    [InlineData("Indonesian President Joko Widodo inaugurated the new port in Jakarta.", "Joko Widodo", "Jakarta")]
    public void Person_and_place_are_found(string sentence, string person, string place)
    {
        var a = Extractor.Extract(sentence);
        Assert.True(a.Entities.Any(m => m.Text == person && m.Type == EntityTypes.Person),
            $"no person '{person}' in: {string.Join("; ", a.Entities.Select(m => $"{m.Type} {m.Text}"))}");
        Assert.True(a.Entities.Any(m => m.Text == place && m.Type == EntityTypes.Location),
            $"no location '{place}' in: {string.Join("; ", a.Entities.Select(m => $"{m.Type} {m.Text}"))}");
    }

    [Fact]
    public void A_name_after_a_time_stamp_leaves_out_the_clock_words()
    {
        var a = Extractor.Extract("Updated: July 7, 2012, 10:04 PM ET Wladimir Klitschko stopped Tony Thompson in the sixth round.");
        Assert.True(a.Entities.Any(m => m.Text == "Wladimir Klitschko"), string.Join("; ", a.Entities.Select(m => $"{m.Type} {m.Text}")));
        Assert.DoesNotContain(a.Entities, m => m.Text.StartsWith("PM", StringComparison.Ordinal) || m.Text.StartsWith("ET", StringComparison.Ordinal));
    }

    [Fact]
    public void Organisations_outside_conll_are_found()
    {
        var a = Extractor.Extract("The Association of Southeast Asian Nations (ASEAN) and the Asian Development Bank signed an agreement in Manila.");
        Assert.Contains(a.Entities, m => m.Text == "Association of Southeast Asian Nations" && m.Type == EntityTypes.Organization);
        Assert.Contains(a.Entities, m => m.Text == "ASEAN" && m.Type == EntityTypes.Organization);
        Assert.Contains(a.Entities, m => m.Text == "Asian Development Bank" && m.Type == EntityTypes.Organization);
    }

    [Theory]
    [InlineData("Striker Paul Sweden scored twice. Sweden was later substituted.", "Sweden")]
    [InlineData("Former senator Bob Georgia met voters in Atlanta. The voters cheered Georgia when he arrived.", "Georgia")]
    public void A_surname_alone_after_the_full_name_is_the_person_even_when_it_names_a_place(string text, string surname)
    {
        var a = Extractor.Extract(text);

        var alone = Assert.Single(a.Entities, m => m.Text == surname);
        Assert.Equal(EntityTypes.Person, alone.Type);
    }

    [Fact]
    public void A_known_place_ending_in_an_organisation_word_stays_a_place()
    {
        var a = Extractor.Extract("Israeli troops sealed off villages in the West Bank on Tuesday after a shooting near Nablus.");

        Assert.Contains(a.Entities, m => m.Text == "West Bank" && m.Type == EntityTypes.Location);
    }

    [Theory]
    [InlineData("Mob boss Vincent 'The Chin' Gigante died in prison. Gigante was 77.", "Vincent 'The Chin' Gigante")]
    [InlineData("Deputy Luis Gerardo (Jerry) Ortiz was shot on Tuesday. Ortiz was 35.", "Luis Gerardo (Jerry) Ortiz")]
    [InlineData("Police said Kimani \"Kiki\" Gray was 16. Gray was shot on Saturday.", "Kimani \"Kiki\" Gray")]
    public void A_nickname_between_given_name_and_surname_is_part_of_the_name(string text, string name)
    {
        var a = Extractor.Extract(text);

        var full = Assert.Single(a.Entities, m => m.Text == name);
        Assert.Equal(EntityTypes.Person, full.Type);
        var surname = Assert.Single(a.Entities, m => m.Text == name.Split(' ')[^1]);
        Assert.Equal(full.Canonical, surname.Canonical);
    }

    [Fact]
    public void A_country_in_brackets_in_a_results_table_is_no_nickname()
    {
        var a = Extractor.Extract("1. Olaf Ludwig ( Germany ) Telekom 4:12:33\n2. Erik Dekker ( Netherlands ) Rabobank same time");

        Assert.Contains(a.Entities, m => m.Text == "Olaf Ludwig" && m.Type == EntityTypes.Person);
        Assert.Contains(a.Entities, m => m.Text == "Germany" && m.Type == EntityTypes.Location);
    }

    [Fact]
    public void Two_places_joined_by_of_are_one_place()
    {
        var a = Extractor.Extract("The navy captured 23 pirates in the Gulf of Aden on Saturday.");

        Assert.Contains(a.Entities, m => m.Text == "Gulf of Aden" && m.Type == EntityTypes.Location);
        Assert.DoesNotContain(a.Entities, m => m.Text == "Gulf");
    }

    [Fact]
    public void A_place_that_stands_for_its_team_is_the_team_but_not_after_a_preposition()
    {
        const string text = "The Indianapolis Colts beat the Kansas City Chiefs 20-13 on Sunday. Indianapolis led from the start, "
                            + "and the Colts clinched a playoff spot before their fans in Indianapolis.";

        var a = Extractor.Extract(text);

        var places = a.Entities.Where(m => m.Text == "Indianapolis").OrderBy(m => m.Start).ToList();
        Assert.Equal([EntityTypes.Organization, EntityTypes.Location], places.Select(m => m.Type));
    }

    [Fact]
    public void A_team_a_position_and_a_player_tagged_as_one_name_are_the_team_and_the_player()
    {
        var a = Extractor.Extract("The Colts won 20-13. Chiefs WR Terrance Copper dropped a pass late, and Chiefs QB Brady Quinn threw two interceptions.");

        Assert.Contains(a.Entities, m => m.Text == "Brady Quinn" && m.Type == EntityTypes.Person);
        Assert.DoesNotContain(a.Entities, m => m.Text.Contains("QB", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Daily Herald Editor Thomas J. Whitfield said the story was true.", "Daily Herald", "Thomas J. Whitfield", "Editor")]
    [InlineData("Texas Highway Patrol Officer Daniel Moreno stopped the car on Sunday.", "Texas Highway Patrol", "Daniel Moreno", "Officer")]
    [InlineData("Two weeks before Republican Governor-elect Susan Carver takes office, the rules changed.", "Republican", "Susan Carver", "Governor-elect")]
    [InlineData("The delegation met Communist Party General Secretary Nguyen Van Minh in Hanoi.", "Communist Party", "Nguyen Van Minh", "General Secretary")]
    public void A_name_a_title_and_a_person_tagged_as_one_name_are_the_name_and_the_person_with_the_title_as_role(
        string text, string before, string person, string role)
    {
        var a = Extractor.Extract(text);

        var found = Assert.Single(a.Entities, m => m.Type == EntityTypes.Person);
        Assert.Equal(person, found.Text);
        Assert.Equal([role], found.Roles);
        Assert.Contains(a.Entities, m => m.Text == before && m.Type != EntityTypes.Person);
    }

    [Fact]
    public void A_title_that_begins_a_name_is_trimmed_not_split()
    {
        var a = Extractor.Extract("Deputy Prime Minister Nguyen Thien Nhan spoke at the opening on Monday.");

        var found = Assert.Single(a.Entities);
        Assert.Equal(("Nguyen Thien Nhan", EntityTypes.Person), (found.Text, found.Type));
    }

    [Fact]
    public void A_person_the_text_calls_by_one_name_goes_by_the_full_name_of_the_headline()
    {
        var a = Extractor.Extract(
            "The actress has left the clinic in the desert. Lindsay said she would spend the rest of her stay near the sea.",
            null,
            "Lindsay Lohan Checks Out Of Rehab Clinic");

        var lindsay = Assert.Single(a.Entities, m => m.Text == "Lindsay");
        Assert.Equal("Lindsay Lohan", lindsay.Canonical);
    }
}
