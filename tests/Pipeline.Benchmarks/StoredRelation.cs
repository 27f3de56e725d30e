using Pipeline.Contracts;
using Pipeline.Relating;
using Pipeline.Storage;

/// <summary>Relates a stored document as the relate stage does: read back from the store, decided in its transaction.</summary>
internal static class StoredRelation
{
    public static async Task<DocumentRelated> RelateAsync(IDocumentStore store, ArchiveRelater relater, string documentId)
    {
        var stored = await store.GetAsync(documentId, CancellationToken.None)
            ?? throw new InvalidOperationException($"{documentId} was not stored");
        var input = RelateInput.From(stored.ToProcessedDocument());
        return await store.RelateAsync((index, ct) => relater.RelateAsync(input, index, ct), CancellationToken.None);
    }
}
