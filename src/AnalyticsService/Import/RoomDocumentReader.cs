using System.Text.Json;
using AnalyticsService.Storage;

namespace AnalyticsService.Import;

/// <summary>
/// Reads a room from its document's text in one pass, for the shape rooms have: each field the reports read present
/// once, holding what Rocket.Chat writes there (a string, null, an array of strings, an object of those, a date as
/// {"$date": "…ISO…"}). Any other document, and any text that is not one JSON object, it declines (null): the general
/// reader (<see cref="Rooms"/>, through <see cref="ExportDocument.Root"/>) reads those, with its errors. A test holds
/// what both make equal for every document this one reads.
/// </summary>
/// <remarks>
/// Why: parsing each line into a <see cref="JsonDocument"/> and looking its fields up by path took 12 s of a
/// million-room import's reading thread, as long as the writing thread's whole work.
/// </remarks>
public static class RoomDocumentReader
{
    public static RoomRecord? Read(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
            return null;
        var reader = new Utf8JsonReader(json, MongoExportReader.Options);
        try
        {
            var room = new Fields();
            return reader.Read() && reader.TokenType == JsonTokenType.StartObject && room.ReadRoot(ref reader) && !reader.Read() ? room.Record() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null; // bad JSON, or a string that is not UTF-8: the general reader says what is wrong
        }
    }

    /// <summary>The fields read so far; <see cref="Odd"/> once one holds what only the general reader reads.</summary>
    private struct Fields
    {
        private Seen _seen;
        private string? _id, _type, _servedById, _servedByUsername, _departmentId, _sourceType, _sourceAlias;
        private DateTimeOffset? _ts, _servedByTs, _closedAt;
        private double? _chatDuration;
        private bool _open, _onHold, _onHoldOtherTruthy;
        private FieldKind _servedBy, _department, _source, _sourceTypeKind, _sourceAliasKind, _tagsKind;
        private List<string>? _ancestors;
        private List<string?>? _tags;

        /// <summary>A field the reports read holds something else than the quick shape: only the type and _id may still be read.</summary>
        public bool Odd { get; private set; }

        [Flags]
        private enum Seen
        {
            Id = 1, Type = 2, Ts = 4, Open = 8, OnHold = 16, ServedBy = 32, Metrics = 64, ClosedAt = 128, DepartmentId = 256,
            Ancestors = 512, Source = 1024, Tags = 2048,
        }

        // The root object's fields, up to its end; false when _id or t cannot be read here.
        public bool ReadRoot(ref Utf8JsonReader reader)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Field(ref reader);
                if (field != 0)
                {
                    if ((_seen & field) != 0)
                        return false; // a field written twice: which one counts is the general reader's rule
                    _seen |= field;
                }
                reader.Read();
                switch (field)
                {
                    case Seen.Id when reader.TokenType == JsonTokenType.String:
                        _id = reader.GetString();
                        break;
                    case Seen.Type when reader.TokenType is JsonTokenType.String or JsonTokenType.Null:
                        _type = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        break;
                    case Seen.Id or Seen.Type:
                        return false;
                    case Seen.Ts:
                        _ts = Date(ref reader);
                        break;
                    case Seen.ClosedAt:
                        _closedAt = Date(ref reader);
                        break;
                    case Seen.Open:
                        _open = reader.TokenType == JsonTokenType.True;
                        reader.Skip();
                        break;
                    case Seen.OnHold:
                        OnHold(ref reader);
                        break;
                    case Seen.ServedBy:
                        _servedBy = Object(ref reader, ServedByField);
                        break;
                    case Seen.Metrics:
                        Object(ref reader, MetricsField);
                        break;
                    case Seen.DepartmentId:
                        (_departmentId, _department) = String(ref reader);
                        break;
                    case Seen.Ancestors when reader.TokenType != JsonTokenType.Null:
                        _ancestors = Strings(ref reader, nulls: false)?.ConvertAll(a => a!);
                        Odd |= _ancestors is null;
                        break;
                    case Seen.Source:
                        _source = Object(ref reader, SourceField);
                        break;
                    case Seen.Tags:
                        Tags(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            return _id is not null;
        }

        private static Seen Field(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("_id"u8) ? Seen.Id
            : reader.ValueTextEquals("t"u8) ? Seen.Type
            : reader.ValueTextEquals("ts"u8) ? Seen.Ts
            : reader.ValueTextEquals("open"u8) ? Seen.Open
            : reader.ValueTextEquals("onHold"u8) ? Seen.OnHold
            : reader.ValueTextEquals("servedBy"u8) ? Seen.ServedBy
            : reader.ValueTextEquals("metrics"u8) ? Seen.Metrics
            : reader.ValueTextEquals("closedAt"u8) ? Seen.ClosedAt
            : reader.ValueTextEquals("departmentId"u8) ? Seen.DepartmentId
            : reader.ValueTextEquals("departmentAncestors"u8) ? Seen.Ancestors
            : reader.ValueTextEquals("source"u8) ? Seen.Source
            : reader.ValueTextEquals("tags"u8) ? Seen.Tags
            : 0;

        public readonly RoomRecord? Record()
        {
            var type = _type ?? "";
            if (type != "l")
                return new RoomRecord(_id!, type, default);
            if (Odd || _ts is not { } ts)
                return null; // without ts the general reader names the missing field
            return new RoomRecord(_id!, "l", ts, _open, _onHold, _servedById, _servedByUsername, _servedByTs, _chatDuration, _closedAt,
                _departmentId, _ancestors ?? [], _sourceType)
            {
                OnHoldOtherTruthy = _onHoldOtherTruthy,
                ServedByField = _servedBy,
                DepartmentField = _department,
                SourceField = _source,
                SourceTypeField = _sourceTypeKind,
                SourceAlias = _sourceAlias,
                SourceAliasField = _sourceAliasKind,
                Tags = _tags,
                TagsField = _tagsKind,
            };
        }

        // As MongoDB's truthiness reads onHold (ExtendedJson.IsTruthy): a number wrapper object is the general reader's.
        private void OnHold(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.True:
                    _onHold = true;
                    break;
                case JsonTokenType.Number:
                    _onHoldOtherTruthy = !reader.TryGetDouble(out var number) || number != 0;
                    break;
                case JsonTokenType.String or JsonTokenType.StartArray:
                    _onHoldOtherTruthy = true;
                    reader.Skip();
                    break;
                case JsonTokenType.StartObject:
                    Odd = true;
                    reader.Skip();
                    break;
            }
        }

        private delegate void ObjectField(ref Fields fields, ref Utf8JsonReader reader, ref int seen);

        // An object's fields, each read by field(); null is FieldKind.Null; anything else is odd.
        private FieldKind Object(ref Utf8JsonReader reader, ObjectField field)
        {
            if (reader.TokenType == JsonTokenType.Null)
                return FieldKind.Null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Odd = true;
                reader.Skip();
                return FieldKind.Value;
            }
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                field(ref this, ref reader, ref seen);
            return FieldKind.Value;
        }

        private static readonly ObjectField ServedByField = (ref Fields f, ref Utf8JsonReader r, ref int seen) =>
        {
            var which = r.ValueTextEquals("_id"u8) ? 1 : r.ValueTextEquals("username"u8) ? 2 : r.ValueTextEquals("ts"u8) ? 4 : 0;
            f.Once(ref seen, which);
            r.Read();
            switch (which)
            {
                case 1:
                    f._servedById = f.String(ref r).Value;
                    break;
                case 2:
                    f._servedByUsername = f.String(ref r).Value;
                    break;
                case 4:
                    f._servedByTs = f.Date(ref r);
                    break;
                default:
                    r.Skip();
                    break;
            }
        };

        private static readonly ObjectField MetricsField = (ref Fields f, ref Utf8JsonReader r, ref int seen) =>
        {
            var which = r.ValueTextEquals("chatDuration"u8) ? 1 : 0;
            f.Once(ref seen, which);
            r.Read();
            if (which == 0)
                r.Skip();
            else if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var duration))
                f._chatDuration = duration;
            else if (r.TokenType != JsonTokenType.Null)
            {
                f.Odd = true; // a number too large for a double, or a value whose truth the general reader decides
                r.Skip();
            }
        };

        private static readonly ObjectField SourceField = (ref Fields f, ref Utf8JsonReader r, ref int seen) =>
        {
            var which = r.ValueTextEquals("type"u8) ? 1 : r.ValueTextEquals("alias"u8) ? 2 : 0;
            f.Once(ref seen, which);
            r.Read();
            switch (which)
            {
                case 1:
                    (f._sourceType, f._sourceTypeKind) = f.String(ref r);
                    break;
                case 2:
                    (f._sourceAlias, f._sourceAliasKind) = f.String(ref r);
                    break;
                default:
                    r.Skip();
                    break;
            }
        };

        private void Once(ref int seen, int field)
        {
            if ((seen & field) != 0)
                Odd = true;
            seen |= field;
        }

        // A string or null (as its FieldKind); anything else is odd.
        private (string? Value, FieldKind Kind) String(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return (reader.GetString(), FieldKind.Value);
                case JsonTokenType.Null:
                    return (null, FieldKind.Null);
                default:
                    Odd = true;
                    reader.Skip();
                    return (null, FieldKind.Value);
            }
        }

        // null, or {"$date": "…"} alone, in the ISO form JsonElement.TryGetDateTimeOffset reads; anything else is odd.
        private DateTimeOffset? Date(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
                return null;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Odd = true;
                reader.Skip();
                return null;
            }
            DateTimeOffset? date = null;
            var fields = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                fields++;
                var isDate = reader.ValueTextEquals("$date"u8);
                reader.Read();
                if (isDate && reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var iso))
                    date = iso.ToUniversalTime();
                else
                    reader.Skip();
            }
            if (fields == 1 && date is not null)
                return date;
            Odd = true;
            return null;
        }

        // An array of strings (and nulls, where they may be), read to its end; null for anything else.
        private static List<string?>? Strings(ref Utf8JsonReader reader, bool nulls)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                return null;
            }
            var items = new List<string?>();
            var ok = true;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (ok && reader.TokenType == JsonTokenType.String)
                    items.Add(reader.GetString());
                else if (ok && reader.TokenType == JsonTokenType.Null && nulls)
                    items.Add(null);
                else
                {
                    ok = false;
                    reader.Skip();
                }
            }
            return ok ? items : null;
        }

        // As the general reader reads tags: null, a lone string as a list of one, or an array of strings and nulls.
        private void Tags(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    _tagsKind = FieldKind.Null;
                    break;
                case JsonTokenType.String:
                    (_tags, _tagsKind) = ([reader.GetString()], FieldKind.Value);
                    break;
                default:
                    _tags = Strings(ref reader, nulls: true);
                    _tagsKind = FieldKind.Value;
                    if (_tags is null)
                        Odd = true;
                    break;
            }
        }
    }
}
