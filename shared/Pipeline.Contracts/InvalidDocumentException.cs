namespace Pipeline.Contracts;

/// <summary>
/// The input can never be processed as it is (empty, binary, unsupported format). Stages do not retry it:
/// the document goes straight to the failed folder or the error queue with this message as the reason.
/// </summary>
public sealed class InvalidDocumentException : Exception
{
    public InvalidDocumentException()
    {
    }

    public InvalidDocumentException(string message)
        : base(message)
    {
    }

    public InvalidDocumentException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
