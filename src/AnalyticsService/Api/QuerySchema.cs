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
    public ApiError? Validate(IQueryCollection query)
    {
        var present = new List<(string Name, bool IsString)>();
        foreach (var (key, values) in query)
        {
            if (key.Length == 0)
                continue; // "?&=x": qs drops nameless pairs
            var bracket = key.IndexOf('[');
            var isBracketForm = bracket > 0 && key.EndsWith(']');
            var name = isBracketForm ? key[..bracket] : key;
            present.Add((name, !isBracketForm && values.Count == 1));
        }
        return Validate(present);
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
