namespace Pipeline.Storage.Tests;

public sealed class ReprintChangesTests
{
    private const string Original = "The port opened on Monday. It cost two billion dollars.\nShips queued all week. Officials were pleased.";

    [Fact]
    public void A_cut_ending_is_where_the_reprint_stops()
    {
        var changes = ReprintChanges.Compare("Port opens", Original, "Port opens", "The port opened on Monday. It cost two billion dollars. Ships queued");

        Assert.Null(changes.NewHeadline);
        Assert.Equal(12, changes.CutAfterWords); // two whole sentences (10 words) and "Ships queued"
        Assert.Equal(0, changes.AddedSentences);
        Assert.Equal(2, changes.RemovedSentences);
        Assert.Empty(changes.Removed); // both are the cut ending, not changes before it
        Assert.Equal((17, 12), (changes.OriginalWords, changes.Words));
    }

    [Fact]
    public void A_new_headline_and_lead_are_added_and_a_changed_sentence_removed()
    {
        var changes = ReprintChanges.Compare(
            "Port opens",
            Original,
            "New port: queues (UPDATE)",
            "LAGOS (Wire) - A new port opened. The port opened on Monday. It cost two billion dollars.\nShips queued ALL week! Officials were very pleased.");

        Assert.Equal("New port: queues (UPDATE)", changes.NewHeadline);
        Assert.Null(changes.CutAfterWords);
        Assert.Equal(["LAGOS (Wire) - A new port opened.", "Officials were very pleased."], changes.Added);
        Assert.Equal(["Officials were pleased."], changes.Removed);
    }

    [Fact]
    public void The_same_text_changes_nothing()
    {
        var changes = ReprintChanges.Compare("Port opens", Original, "PORT OPENS", Original);

        Assert.Equal((null, null, 0, 0), (changes.NewHeadline, changes.CutAfterWords, changes.AddedSentences, changes.RemovedSentences));
    }
}
