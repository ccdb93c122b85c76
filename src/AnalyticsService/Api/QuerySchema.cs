using Google.Protobuf;
using Microsoft.Extensions.Primitives;

namespace AnalyticsService.Api;

/// <summary>
/// The AJV schema Rocket.Chat validates a query with: string properties, some required, no others.
/// Like AJV without allErrors, only the first failure is reported; "required" runs before the other keywords,
/// then additionalProperties, then each property's type in the schema's order.
/// </summary>
public sealed record QuerySchema(IReadOnlyList<string> Properties, IReadOnlyList<string> Required)
{
    /// <summary>Checks a REST query string, where a name can come twice or in qs's bracket forms (not strings).</summary>
    public ApiError? Validate(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var present = new List<(string Name, bool IsString)>();
        foreach (var group in query.GroupBy(pair => BracketBase(pair.Key), StringComparer.Ordinal))
        {
            // A repeated name is an array and "name[...]" an array or object, as qs parses them.
            var isString = group.Count() == 1 && group.First().Key == group.Key;
            present.Add((group.Key, isString));
        }
        return Validate(present);
    }

    private static string BracketBase(string name)
    {
        var bracket = name.IndexOf('[');
        return bracket > 0 && name.EndsWith(']') ? name[..bracket] : name;
    }

    /// <summary>Checks a gRPC request message: a property is present when its field is set (proto3 optional).</summary>
    public ApiError? Validate(IMessage message)
    {
        var present = message.Descriptor.Fields.InFieldNumberOrder()
            .Where(field => field.HasPresence ? field.Accessor.HasValue(message) : !Equals(field.Accessor.GetValue(message), ""))
            .Select(field => (field.Name, IsString: true))
            .ToList();
        return Validate(present);
    }

    private ApiError? Validate(List<(string Name, bool IsString)> present)
    {
        foreach (var required in Required)
        {
            if (!present.Exists(p => p.Name == required))
                return ApiError.InvalidParams($"must have required property '{required}'");
        }
        if (present.Exists(p => !Properties.Contains(p.Name)))
            return ApiError.InvalidParams("must NOT have additional properties");
        foreach (var property in Properties)
        {
            if (present.Exists(p => p.Name == property && !p.IsString))
                return ApiError.InvalidParams("must be string");
        }
        return null;
    }
}
