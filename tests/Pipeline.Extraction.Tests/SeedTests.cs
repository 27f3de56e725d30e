using Pipeline.Contracts;
using Pipeline.Testing;

namespace Pipeline.Extraction.Tests;

/// <summary>The two seed documents of tests/fixtures/seeds: what the extract stage must find in them.</summary>
public sealed class SeedTests
{
    private static readonly EntityExtractor Extractor = EntityExtractor.CreateDefault();

    private static string Seed(string name) => File.ReadAllText(Path.Combine(RepositoryPaths.Seeds, name));

    private static Analysis.Entity Find(ExtractionResult r, string canonical, string type)
    {
        var e = r.Entities.FirstOrDefault(x => x.Canonical == canonical && x.Type == type);
        Assert.True(e is not null, $"no {type} '{canonical}' among: {string.Join("; ", r.Entities.Select(x => $"{x.Type} {x.Canonical}"))}");
        return e;
    }

    [Fact]
    public void Vnukov_seed_has_dateline_people_places_and_dates()
    {
        string text = Seed("vna-2020-12-03-vnukov.txt");
        var r = Extractor.Analyze(text);
        var a = r.Analysis;

        Assert.NotNull(a.Dateline);
        Assert.Equal("2020-12-03", a.Dateline.Date);
        Assert.Equal("Hanoi", a.Dateline.Place);
        Assert.Equal("VNA", a.Dateline.Agency);
        Assert.Equal("2020-12-03", a.PublishedOn);

        var trong = Find(r, "Nguyen Phu Trong", EntityTypes.Person);
        Assert.Contains("General Secretary", trong.Roles);
        Assert.Contains("State President", trong.Roles);
        Assert.Contains("Trong", trong.Aliases);
        Assert.True(trong.Count >= 2);

        var vnukov = Find(r, "Konstantin Vnukov", EntityTypes.Person);
        Assert.Contains("Ambassador", vnukov.Roles);
        Assert.Contains("Vnukov", vnukov.Aliases);

        var putin = Find(r, "V. Putin", EntityTypes.Person);
        Assert.Contains("President", putin.Roles);
        var medvedev = Find(r, "D. Medvedev", EntityTypes.Person);
        Assert.Contains("Chairman", medvedev.Roles);

        Find(r, "United Russia", EntityTypes.Organization);
        Find(r, "VNA", EntityTypes.Organization);
        Find(r, "Hanoi", EntityTypes.Location);
        Find(r, "Vietnam", EntityTypes.Location);
        Find(r, "Russia", EntityTypes.Location);
        Find(r, "Soviet Union", EntityTypes.Location);

        Assert.Contains(r.Dates, d => d.Text == "December 3" && d.Date == "2020-12-03");

        // Offsets point into the text.
        foreach (var m in a.Entities)
        {
            Assert.Equal(m.Text, text[m.Start..m.End]);
        }
    }

    [Fact]
    public void Vnukov_seed_without_the_clean_stage_date_marker()
    {
        string text = Seed("vna-2020-12-03-vnukov.txt");
        int at = text.IndexOf("Hanoi", StringComparison.Ordinal);
        var a = Extractor.Extract(text[at..], "2020-12-03T08:15:00+07:00");
        Assert.NotNull(a.Dateline);
        Assert.Equal("Hanoi", a.Dateline.Place);
        Assert.Equal("VNA", a.Dateline.Agency);
        Assert.Equal(0, a.Dateline.Start);
        Assert.Equal("2020-12-03", a.PublishedOn);
        Assert.Contains(a.Entities, m => m.Text == "Nguyen Phu Trong" && m.Type == EntityTypes.Person);
    }

    [Fact]
    public void Bezdetko_seed_has_people_with_roles_parties_and_the_resolved_date()
    {
        string text = Seed("vcn-bezdetko-scraped-page.txt");
        var r = Extractor.Analyze(text, "2021-08-14");

        var trong = Find(r, "Nguyen Phu Trong", EntityTypes.Person);
        Assert.Contains("General Secretary", trong.Roles);
        var bezdetko = Find(r, "Gennady Bezdetko", EntityTypes.Person);
        Assert.Contains("Ambassador", bezdetko.Roles);
        Assert.Contains("Bezdetko", bezdetko.Aliases);
        var putin = Find(r, "Vladimir Putin", EntityTypes.Person);
        Assert.Contains("President", putin.Roles);
        var medvedev = Find(r, "Dmitry Medvedev", EntityTypes.Person);
        Assert.Contains("Chairman", medvedev.Roles);

        var cpv = Find(r, "Communist Party of Vietnam", EntityTypes.Organization);
        Assert.Contains("CPV", cpv.Aliases);
        Assert.True(cpv.Count >= 4);
        Assert.Contains(r.Entities, e => e.Type == EntityTypes.Organization && e.Canonical.StartsWith("United Russia", StringComparison.Ordinal));
        Find(r, "VNA", EntityTypes.Organization);
        Find(r, "Hanoi", EntityTypes.Location);
        Find(r, "Vietnam", EntityTypes.Location);
        Find(r, "Russia", EntityTypes.Location);
        Find(r, "Soviet Union", EntityTypes.Location);

        Assert.Equal("2021-08-14", r.Analysis.PublishedOn);
        Assert.Contains(r.Dates, d => d.Text == "August 13" && d.Date == "2021-08-13");
    }
}
