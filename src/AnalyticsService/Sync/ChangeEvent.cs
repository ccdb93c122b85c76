using System.Text.Json;
using AnalyticsService.Import;

namespace AnalyticsService.Sync;

/// <summary>
/// One event of a MongoDB change stream, read from its Extended JSON (what the driver's ToJson writes): its resume token
/// (the event's _id, kept as written), operationType, the collection, the document's _id, and the document as it is
/// now (fullDocument, with updateLookup for updates; absent or null when it no longer exists).
/// </summary>
public sealed record ChangeEvent(string ResumeToken, string Operation, string? Collection, string? DocumentId, JsonElement? FullDocument,
    DateTimeOffset? WallTime)
{
    public static ChangeEvent Parse(JsonElement e)
    {
        if (!e.TryGet("_id", out var token))
            throw new DocumentException("the change event has no _id (resume token)");
        var operation = e.OptionalString("operationType") ?? throw new DocumentException("the change event has no operationType");
        JsonElement? document = e.TryGet("fullDocument", out var full) && full.ValueKind == JsonValueKind.Object ? full.Clone() : null;
        return new ChangeEvent(token.GetRawText(), operation, e.OptionalString("ns.coll"),
            e.TryGet("documentKey._id", out _) ? e.RequiredId("documentKey._id") : null, document, e.OptionalDate("wallTime"));
    }
}
