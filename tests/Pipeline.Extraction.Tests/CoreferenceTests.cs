using Pipeline.Contracts;
using Pipeline.Extraction.Analysis;

namespace Pipeline.Extraction.Tests;

/// <summary>The grouping of a document's mentions into entities, on mentions typed as the tagger may type them.</summary>
public sealed class CoreferenceTests
{
    [Fact]
    public void A_lone_word_read_as_a_person_that_ends_one_organisation_name_is_that_organisation()
    {
        const string text = "Luck was willing Colts to victory. It put the Indianapolis Colts into the playoffs.";

        var entities = Coreference.Resolve([At(text, "Colts", EntityTypes.Person), At(text, "Indianapolis Colts", EntityTypes.Organization)]);

        Assert.All(entities, e => Assert.Equal(EntityTypes.Organization, e.Type));
    }

    [Fact]
    public void A_lone_surname_of_a_person_named_in_full_stays_that_person()
    {
        const string text = "Michael Jordan wore Air Jordan shoes. Jordan scored 40.";

        var entities = Coreference.Resolve([
            At(text, "Michael Jordan", EntityTypes.Person), At(text, "Air Jordan", EntityTypes.Misc), At(text, "Jordan", EntityTypes.Person, 38)]);

        var person = Assert.Single(entities, e => e.Type == EntityTypes.Person);
        Assert.Equal(["Michael Jordan", "Jordan"], person.Mentions.Select(m => m.Text));
    }

    private static Mention At(string text, string name, string type, int from = 0)
    {
        int start = text.IndexOf(name, from, StringComparison.Ordinal);
        return new Mention(0, 0, start, start + name.Length, type, name);
    }
}
