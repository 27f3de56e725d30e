using System.Text.Json;
using Pipeline.Contracts;

namespace Pipeline.Extraction;

/// <summary>
/// The line format of <c>pipeline extract</c>: one JSON object per file,
/// <c>{"file", "entities": [{"type", "text", "start", "end", "canonical", "roles"}], "dateline", "publishedOn", "keywords", "summary"}</c>.
/// Entity types are the contract's (<see cref="EntityTypes"/>), which the CoNLL scorer reads as they are.
/// Keys are only ever added: scripts depend on them.
/// </summary>
public static class ExtractionJson
{
    public static string ToJsonLine(string file, DocumentAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteStartArray("entities");
            foreach (var e in analysis.Entities)
            {
                w.WriteStartObject();
                w.WriteString("type", e.Type);
                w.WriteString("text", e.Text);
                w.WriteNumber("start", e.Start);
                w.WriteNumber("end", e.End);
                if (e.Canonical is not null)
                {
                    w.WriteString("canonical", e.Canonical);
                }

                if (e.Roles is { Count: > 0 })
                {
                    w.WriteStartArray("roles");
                    foreach (var r in e.Roles)
                    {
                        w.WriteStringValue(r);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (analysis.Dateline is { } d)
            {
                w.WriteStartObject("dateline");
                w.WriteString("date", d.Date);
                w.WriteString("place", d.Place);
                w.WriteString("agency", d.Agency);
                w.WriteNumber("start", d.Start);
                w.WriteNumber("end", d.End);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("dateline");
            }

            w.WriteString("publishedOn", analysis.PublishedOn);
            w.WriteStartArray("keywords");
            foreach (var k in analysis.Keywords)
            {
                w.WriteStringValue(k);
            }

            w.WriteEndArray();
            w.WriteString("summary", analysis.Summary);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
