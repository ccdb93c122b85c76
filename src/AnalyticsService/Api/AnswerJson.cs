using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Analytics.V1;
using Google.Protobuf;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace AnalyticsService.Api;

/// <summary>
/// Writes each report answer's JSON once per message and copies those bytes whenever the same message answers again (a
/// kept answer: Reports.KeptAnswers). Transcoding writes a message field by field through protobuf reflection: some
/// 350 µs for a thousand agents' rows, on every call. The first write is transcoding's own (its options as it made
/// them), so the bytes are the ones it would write.
/// </summary>
public static class AnswerJson
{
    /// <summary>
    /// Resolves the reports' answers to <see cref="WrittenOnce{TAnswer}"/> ahead of transcoding's resolver. Transcoding
    /// keeps its JSON options in an internal property (UnarySerializerOptions) and offers no public way to change them;
    /// the REST tests' exact bodies, first and kept, say whether what it writes is still what it wrote.
    /// </summary>
    public static void WriteKeptAnswersOnce(GrpcJsonTranscodingOptions transcoding)
    {
        var property = typeof(GrpcJsonTranscodingOptions).GetProperty("UnarySerializerOptions", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("GrpcJsonTranscodingOptions has no UnarySerializerOptions: see AnswerJson.");
        var options = (JsonSerializerOptions)property.GetValue(transcoding)!;
        var asMade = new JsonSerializerOptions(options);
        var answers = new Dictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>>
        {
            [typeof(GetConversationsByStatusResponse)] = WrittenOnce<GetConversationsByStatusResponse>.TypeInfo(asMade),
            [typeof(GetConversationsBySourceResponse)] = WrittenOnce<GetConversationsBySourceResponse>.TypeInfo(asMade),
            [typeof(GetConversationsByDepartmentResponse)] = WrittenOnce<GetConversationsByDepartmentResponse>.TypeInfo(asMade),
            [typeof(GetConversationsByTagsResponse)] = WrittenOnce<GetConversationsByTagsResponse>.TypeInfo(asMade),
            [typeof(GetConversationsByAgentResponse)] = WrittenOnce<GetConversationsByAgentResponse>.TypeInfo(asMade),
        };
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(new AnswerResolver(answers), options.TypeInfoResolver);
    }

    private sealed class AnswerResolver(Dictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>> answers) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => answers.TryGetValue(type, out var of) ? of(options) : null;
    }

    /// <summary>An answer's JSON, written by transcoding's own options the first time a message is written, then copied.</summary>
    public sealed class WrittenOnce<TAnswer>(JsonSerializerOptions asMade) : JsonConverter<TAnswer> where TAnswer : class, IMessage
    {
        private readonly ConditionalWeakTable<TAnswer, byte[]> _written = new();

        public static Func<JsonSerializerOptions, JsonTypeInfo> TypeInfo(JsonSerializerOptions asMade)
        {
            var converter = new WrittenOnce<TAnswer>(asMade);
            return options => JsonMetadataServices.CreateValueInfo<TAnswer>(options, converter);
        }

        public override TAnswer? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<TAnswer>(ref reader, asMade);

        public override void Write(Utf8JsonWriter writer, TAnswer value, JsonSerializerOptions options) =>
            writer.WriteRawValue(_written.GetValue(value, answer => JsonSerializer.SerializeToUtf8Bytes(answer, asMade)), skipInputValidation: true);
    }
}
