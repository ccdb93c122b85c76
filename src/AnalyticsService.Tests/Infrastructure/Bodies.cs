namespace AnalyticsService.Tests.Infrastructure;

/// <summary>Rocket.Chat's bodies, byte for byte (docs/behaviour.md, section 1).</summary>
public static class Bodies
{
    public const string NotLoggedIn = """{"status":"error","message":"You must be logged in to do this."}""";
    public const string MissingStart = """{"success":false,"error":"must have required property 'start' [invalid-params]","errorType":"invalid-params"}""";
    public const string MissingEnd = """{"success":false,"error":"must have required property 'end' [invalid-params]","errorType":"invalid-params"}""";
    public const string AdditionalProperties = """{"success":false,"error":"must NOT have additional properties [invalid-params]","errorType":"invalid-params"}""";
    public const string MustBeString = """{"success":false,"error":"must be string [invalid-params]","errorType":"invalid-params"}""";
    public const string NotPermitted = """{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}""";
    public const string InvalidStart = """{"success":false,"error":"The \"start\" query parameter must be a valid date."}""";
    public const string InvalidEnd = """{"success":false,"error":"The \"end\" query parameter must be a valid date."}""";
    public const string MoreThanAYear = """{"success":false,"error":"The \"start\" and \"end\" query parameters must be less than 1 year apart."}""";
    public const string StartAfterEnd = """{"success":false,"error":"The \"start\" query parameter must be before the \"end\" query parameter."}""";
    public const string Empty = """{"total":0,"data":[],"success":true}""";

    /// <summary>A 200 body with these numbers, in the order given.</summary>
    public static string Counts(int total, params (string Label, int Value)[] data) => Build(total, data, success: true);

    /// <summary>The REST body a gRPC response stands for, to compare the two transports.</summary>
    public static string Of(Analytics.V1.GetConversationsByStatusResponse response) =>
        Build(response.Total, response.Data.Select(d => (d.Label, d.Value)), response.Success);

    private static string Build(int total, IEnumerable<(string Label, int Value)> data, bool success) =>
        $$"""{"total":{{total}},"data":[{{string.Join(",", data.Select(d => $$"""{"label":"{{d.Label}}","value":{{d.Value}}}"""))}}],"success":{{(success ? "true" : "false")}}}""";

    public const string StoreUnavailable = """{"success":false,"error":"The analytics store is unavailable. Try again later."}""";
}
