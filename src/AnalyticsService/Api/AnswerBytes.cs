using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Analytics.V1;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace AnalyticsService.Api;

/// <summary>
/// A kept answer's bytes (Reports.KeptAnswers), its REST JSON and its gRPC protobuf, each written once per message and
/// copied whenever the same message answers again. Both writers walk a message field by field, on every call:
/// transcoding's JSON through protobuf reflection (some 350 µs for a thousand agents' rows), protobuf's in generated
/// code. Protobuf's first write is its own; the JSON is <see cref="AnswerJsonWriter"/>'s, which writes what transcoding
/// writes. An answer not kept is written directly, without keeping its bytes.
/// </summary>
public static class AnswerBytes
{
    private static readonly ConditionalWeakTable<IMessage, Written> Kept = new();

    private sealed class Written
    {
        public byte[]? Json;
        public byte[]? Protobuf;
    }

    /// <summary>Transcoding's JSON options as it made them, without the answers' converters (for the tests that compare).</summary>
    internal static JsonSerializerOptions? TranscodingOwn { get; private set; }

    /// <summary>This answer will be sent again: its bytes are kept with it once written.</summary>
    public static void WriteOnce(IMessage answer) => Kept.TryAdd(answer, new Written());

    private static readonly HashSet<Type> Answers =
    [
        typeof(GetConversationsByStatusResponse), typeof(GetConversationsBySourceResponse), typeof(GetConversationsByDepartmentResponse),
        typeof(GetConversationsByTagsResponse), typeof(GetConversationsByAgentResponse),
    ];

    /// <summary>
    /// Resolves the answers to a converter that writes their JSON once, ahead of transcoding's own resolver. Transcoding
    /// keeps its JSON options in an internal property (UnarySerializerOptions) and offers no public way to change them;
    /// the REST tests' exact bodies, first and kept, say whether what it writes is still what it wrote.
    /// </summary>
    public static void WriteJsonOnce(GrpcJsonTranscodingOptions transcoding)
    {
        var options = Served(transcoding);
        var asMade = TranscodingOwn = new JsonSerializerOptions(options);
        var converters = Answers.ToDictionary(type => type,
            type => (IAnswerTypeInfo)Activator.CreateInstance(typeof(JsonWrittenOnce<>).MakeGenericType(type), asMade)!);
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(new AnswerResolver(converters), options.TypeInfoResolver);
    }

    /// <summary>The JSON options transcoding serves its messages with (with the answers' converters once <see cref="WriteJsonOnce"/> ran).</summary>
    internal static JsonSerializerOptions Served(GrpcJsonTranscodingOptions transcoding) =>
        (JsonSerializerOptions)(typeof(GrpcJsonTranscodingOptions).GetProperty("UnarySerializerOptions", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("GrpcJsonTranscodingOptions has no UnarySerializerOptions: see AnswerBytes.")).GetValue(transcoding)!;

    /// <summary>The marshaller a method's responses are written with: for an answer, its bytes written once per message.</summary>
    public static Marshaller<TResponse> WriteProtobufOnce<TResponse>(Marshaller<TResponse> marshaller) where TResponse : class
    {
        if (!Answers.Contains(typeof(TResponse)))
            return marshaller;
        var write = marshaller.ContextualSerializer;
        return Marshallers.Create<TResponse>((answer, context) =>
        {
            if (Kept.TryGetValue((IMessage)answer, out var written))
                context.Complete(written.Protobuf ??= ((IMessage)answer).ToByteArray());
            else
                write(answer, context);
        }, marshaller.ContextualDeserializer);
    }

    private interface IAnswerTypeInfo
    {
        JsonTypeInfo For(JsonSerializerOptions options);
    }

    private sealed class AnswerResolver(Dictionary<Type, IAnswerTypeInfo> answers) : IJsonTypeInfoResolver
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) => answers.TryGetValue(type, out var answer) ? answer.For(options) : null;
    }

    private sealed class JsonWrittenOnce<TAnswer>(JsonSerializerOptions asMade) : JsonConverter<TAnswer>, IAnswerTypeInfo where TAnswer : class, IMessage
    {
        public JsonTypeInfo For(JsonSerializerOptions options) => JsonMetadataServices.CreateValueInfo<TAnswer>(options, this);

        public override TAnswer? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            JsonSerializer.Deserialize<TAnswer>(ref reader, asMade);

        public override void Write(Utf8JsonWriter writer, TAnswer value, JsonSerializerOptions options)
        {
            if (Kept.TryGetValue(value, out var written))
                writer.WriteRawValue(written.Json ??= Bytes(value), skipInputValidation: true);
            else if (!AnswerJsonWriter.TryWrite(writer, value))
                JsonSerializer.Serialize(writer, value, asMade);
        }

        private byte[] Bytes(TAnswer value)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = asMade.Encoder, Indented = asMade.WriteIndented }))
            {
                if (!AnswerJsonWriter.TryWrite(writer, value))
                    return JsonSerializer.SerializeToUtf8Bytes(value, asMade);
            }
            return buffer.WrittenSpan.ToArray();
        }
    }
}
