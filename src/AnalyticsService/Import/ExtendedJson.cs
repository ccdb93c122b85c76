using System.Globalization;
using System.Text.Json;
using AnalyticsService.Storage;

namespace AnalyticsService.Import;

/// <summary>
/// Reads MongoDB Extended JSON as mongoexport writes it, relaxed or canonical: {"$date": "…" | {"$numberLong": "…"} | ms},
/// {"$numberInt"}, {"$numberLong"}, {"$numberDouble"}, {"$numberDecimal"} and {"$oid"}.
/// </summary>
public static class ExtendedJson
{
    public static bool TryGet(this JsonElement document, string path, out JsonElement value)
    {
        value = document;
        var rest = path.AsSpan();
        while (true)
        {
            var dot = rest.IndexOf('.');
            var name = dot < 0 ? rest : rest[..dot];
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
                return false;
            if (dot < 0)
                return true;
            rest = rest[(dot + 1)..];
        }
    }

    /// <summary>Whether a field is absent, null, or holds a value.</summary>
    public static FieldKind Kind(this JsonElement document, string path) =>
        !document.TryGet(path, out var value) ? FieldKind.Absent : value.ValueKind == JsonValueKind.Null ? FieldKind.Null : FieldKind.Value;

    /// <summary>The field holds exactly true (MongoDB's {$eq: [field, true]}): not 1, not "true".</summary>
    public static bool IsExactlyTrue(this JsonElement document, string path) =>
        document.TryGet(path, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>
    /// The field is true as MongoDB's aggregation expressions read it: absent, null, false and a zero of any numeric
    /// type are false; everything else (any other number, NaN included, any string, object or array) is true.
    /// </summary>
    public static bool IsTruthy(this JsonElement document, string path) =>
        document.TryGet(path, out var value) && IsTruthy(value);

    private static bool IsTruthy(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False or JsonValueKind.Undefined => false,
        JsonValueKind.Number => !value.TryGetDouble(out var number) || number != 0,
        JsonValueKind.Object when NumberWrapper(value) is { } text => ParseNumber(text) is not { } number || number != 0, // NaN is true
        _ => true,
    };

    /// <summary>The text of {"$numberInt"|"$numberLong"|"$numberDouble"|"$numberDecimal": "…"}, or null for any other value.</summary>
    private static string? NumberWrapper(JsonElement value)
    {
        foreach (var wrapper in NumberWrappers)
        {
            if (value.TryGetProperty(wrapper, out var text) && text.ValueKind == JsonValueKind.String)
                return text.GetString();
        }
        return null;
    }

    private static readonly string[] NumberWrappers = ["$numberInt", "$numberLong", "$numberDouble", "$numberDecimal"];

    /// <summary>The field as a number when it holds one (plain or wrapped); null when absent, null or anything else.</summary>
    public static double? NumberOrNull(this JsonElement document, string path)
    {
        if (!document.TryGet(path, out var value))
            return null;
        if (value.ValueKind == JsonValueKind.Number)
            return value.TryGetDouble(out var number) ? number : null;
        return value.ValueKind == JsonValueKind.Object && NumberWrapper(value) is { } text
            ? ParseNumber(text) ?? throw new DocumentException($"{path} is not a number")
            : null;
    }

    private static double? ParseNumber(string text) => text switch
    {
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    /// <summary>_id: a string, or an ObjectId as its hex string.</summary>
    public static string RequiredId(this JsonElement document, string path = "_id") =>
        document.TryGet(path, out var value) ? AsId(value, path) : throw new DocumentException($"{path} is missing");

    public static string? OptionalString(this JsonElement document, string path) =>
        document.TryGet(path, out var value) && value.ValueKind != JsonValueKind.Null ? AsId(value, path) : null;

    public static bool OptionalBool(this JsonElement document, string path) =>
        document.TryGet(path, out var value) ? value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new DocumentException($"{path} is not a boolean"),
        } : false;

    public static DateTimeOffset RequiredDate(this JsonElement document, string path) =>
        document.TryGet(path, out var value) && value.ValueKind != JsonValueKind.Null ? AsDate(value, path) : throw new DocumentException($"{path} is missing");

    public static DateTimeOffset? OptionalDate(this JsonElement document, string path) =>
        document.TryGet(path, out var value) && value.ValueKind != JsonValueKind.Null ? AsDate(value, path) : null;

    public static IReadOnlyList<string> StringArray(this JsonElement document, string path)
    {
        if (!document.TryGet(path, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind != JsonValueKind.Array)
            throw new DocumentException($"{path} is not an array");
        return value.EnumerateArray().Select((item, i) => AsId(item, $"{path}[{i}]")).ToArray();
    }

    private static string AsId(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Object when value.TryGetProperty("$oid", out var oid) && oid.ValueKind == JsonValueKind.String => oid.GetString()!,
        _ => throw new DocumentException($"{path} is not a string"),
    };

    private static DateTimeOffset AsDate(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("$date", out var date))
        {
            switch (date.ValueKind)
            {
                case JsonValueKind.String when date.TryGetDateTimeOffset(out var iso): // ISO 8601, as mongoexport writes it
                    return iso.ToUniversalTime();
                case JsonValueKind.String when DateTimeOffset.TryParse(date.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                    return parsed.ToUniversalTime();
                case JsonValueKind.Number when date.TryGetInt64(out var ms):
                    return FromMilliseconds(ms, path);
                case JsonValueKind.Object when date.TryGetProperty("$numberLong", out var numberLong)
                    && long.TryParse(numberLong.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms):
                    return FromMilliseconds(ms, path);
            }
        }
        throw new DocumentException($"{path} is not a date");
    }

    private static DateTimeOffset FromMilliseconds(long ms, string path) =>
        ms >= DateTimeOffset.MinValue.ToUnixTimeMilliseconds() && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : throw new DocumentException($"{path} is out of range");
}
