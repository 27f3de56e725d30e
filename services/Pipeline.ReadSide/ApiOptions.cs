namespace Pipeline.ReadSide;

/// <summary>The read side's settings. Section <c>Api</c>; environment: <c>Api__ApiKey</c> and so on.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>
    /// The key <c>POST /api/documents</c> wants in its <c>X-Api-Key</c> header. Empty: submitting over HTTP is
    /// switched off (403).
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// The key every read needs (the API's GETs, the raw files, the page), as the <c>X-Api-Key</c> header or as
    /// the password of HTTP Basic auth. Empty: reads are open, fine while the API listens on loopback only.
    /// </summary>
    public string? ReadApiKey { get; set; }

    /// <summary>
    /// The RabbitMQ management API (<c>http://user:password@host:15672/</c>) that queue depths and consumer
    /// counts come from when the bus is RabbitMQ. Empty: only the counts this process observed.
    /// </summary>
    public string? RabbitMqManagement { get; set; }

    /// <summary>Largest document <c>POST /api/documents</c> accepts (the drop folder's default limit).</summary>
    public int MaxDocumentBytes { get; set; } = 16 * 1024 * 1024;
}
