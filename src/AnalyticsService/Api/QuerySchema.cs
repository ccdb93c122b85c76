using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace AnalyticsService.Api;

/// <summary>
/// The AJV schema Rocket.Chat validates a query with: string properties, some required, no others.
/// Like AJV without allErrors, only the first failure is reported; "required" runs before the other keywords,
/// then additionalProperties, then each property's type in the schema's order.
/// </summary>
public sealed record QuerySchema(string[] Properties, string[] Required)
{
    /// <summary>Checks a REST query string, where a name can come twice or in qs's bracket forms (not strings).</summary>
    public ApiError? Validate(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        foreach (var required in Required)
        {
            if (Occurrences(query, required) == 0)
                return Missing(required);
        }
        for (var i = 0; i < query.Count; i++)
        {
            if (!IsProperty(BracketBase(query[i].Key)))
                return AdditionalProperty;
        }
        foreach (var property in Properties)
        {
            // A repeated name is an array and "name[...]" an array or object, as qs parses them.
            var occurrences = Occurrences(query, property);
            if (occurrences > 1 || (occurrences == 1 && !HasPlainName(query, property)))
                return NotString;
        }
        return null;
    }

    /// <summary>Checks a gRPC request message: a property is present when its field is set (proto3 optional).</summary>
    public ApiError? Validate(IMessage message)
    {
        foreach (var required in Required)
        {
            if (message.Descriptor.FindFieldByName(required) is not { } field || !IsSet(field, message))
                return Missing(required);
        }
        var fields = message.Descriptor.Fields.InFieldNumberOrder();
        for (var i = 0; i < fields.Count; i++)
        {
            if (IsSet(fields[i], message) && !IsProperty(fields[i].Name))
                return AdditionalProperty;
        }
        return null; // a message's string fields are always strings
    }

    private static readonly ApiError AdditionalProperty = ApiError.InvalidParams("must NOT have additional properties");
    private static readonly ApiError NotString = ApiError.InvalidParams("must be string");

    private static ApiError Missing(string property) => ApiError.InvalidParams($"must have required property '{property}'");

    private static bool IsSet(FieldDescriptor field, IMessage message) =>
        field.HasPresence ? field.Accessor.HasValue(message) : !Equals(field.Accessor.GetValue(message), "");

    private bool IsProperty(ReadOnlySpan<char> name)
    {
        foreach (var property in Properties)
        {
            if (name.SequenceEqual(property))
                return true;
        }
        return false;
    }

    private static int Occurrences(IReadOnlyList<KeyValuePair<string, string>> query, string name)
    {
        var count = 0;
        for (var i = 0; i < query.Count; i++)
        {
            if (BracketBase(query[i].Key).SequenceEqual(name))
                count++;
        }
        return count;
    }

    private static bool HasPlainName(IReadOnlyList<KeyValuePair<string, string>> query, string name)
    {
        for (var i = 0; i < query.Count; i++)
        {
            if (query[i].Key == name)
                return true;
        }
        return false;
    }

    private static ReadOnlySpan<char> BracketBase(string name)
    {
        var bracket = name.IndexOf('[');
        return bracket > 0 && name.EndsWith(']') ? name.AsSpan(0, bracket) : name;
    }
}
