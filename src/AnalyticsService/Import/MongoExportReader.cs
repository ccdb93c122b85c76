using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AnalyticsService.Import;

/// <summary>
/// One document of an export file, the line it starts on (1-based), or why it cannot be read. A document read from a
/// line keeps its text (<see cref="Json"/>) and is parsed only when <see cref="Root"/> or <see cref="Error"/> is asked:
/// a room is read from its text in one pass (<see cref="RoomDocumentReader"/>).
/// </summary>
public sealed class ExportDocument
{
    private JsonElement _root;
    private string? _error;
    private bool _parsed;

    public ExportDocument(JsonElement root, long line, string? error = null) => (_root, Line, _error, _parsed) = (root, line, error, true);

    private ExportDocument(byte[] json, long line) => (Json, Line) = (json, line);

    /// <summary>A document of one line, parsed when first asked.</summary>
    public static ExportDocument OfLine(ReadOnlySpan<byte> text, long line) => new(text.ToArray(), line);

    public long Line { get; }

    /// <summary>The line's text, or empty for a document read otherwise (an element of an array, a change from MongoDB).</summary>
    public ReadOnlyMemory<byte> Json { get; }

    public JsonElement Root
    {
        get
        {
            Parse();
            return _root;
        }
    }

    public string? Error
    {
        get
        {
            Parse();
            return _error;
        }
    }

    private void Parse()
    {
        if (_parsed)
            return;
        _parsed = true;
        var reader = new Utf8JsonReader(Json.Span, MongoExportReader.Options);
        try
        {
            // The reader fails on anything after the first value (a second document on the line included).
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
                _error = "a document must be a JSON object";
            else
            {
                var root = JsonElement.ParseValue(ref reader);
                reader.Read();
                _root = root;
            }
        }
        catch (JsonException ex)
        {
            _error = $"invalid JSON ({MongoExportReader.Describe(ex)})";
        }
    }
}

/// <summary>
/// Streams the documents of a mongoexport file: one JSON document per line, or a single JSON array (--jsonArray).
/// Only one document is held at a time, whatever the file's size. A line that is not a document is reported and
/// reading goes on with the next line; in an array, bad JSON ends the file (nothing after it can be trusted).
/// </summary>
public static class MongoExportReader
{
    private const int InitialBuffer = 256 * 1024;
    internal static readonly JsonReaderOptions Options = new() { MaxDepth = 256 };

    public static async IAsyncEnumerable<ExportDocument> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = new Buffer(ArrayPool<byte>.Shared.Rent(InitialBuffer));
        try
        {
            await buffer.FillAsync(stream, cancellationToken);
            var first = buffer.Data.IndexOfAnyExcept(" \t\r\n"u8);
            var documents = first >= 0 && buffer.Data[first] == (byte)'['
                ? ReadArrayAsync(stream, buffer, cancellationToken)
                : ReadLinesAsync(stream, buffer, cancellationToken);
            await foreach (var document in documents)
                yield return document;
        }
        finally
        {
            buffer.Dispose();
        }
    }

    private static async IAsyncEnumerable<ExportDocument> ReadLinesAsync(Stream stream, Buffer buffer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long line = 0;
        while (true)
        {
            var newline = buffer.Data.IndexOf((byte)'\n');
            if (newline < 0 && !buffer.EndOfFile)
            {
                await buffer.FillAsync(stream, cancellationToken);
                continue;
            }
            var length = newline < 0 ? buffer.Data.Length : newline;
            if (length == 0 && newline < 0)
                yield break;
            line++;
            var document = ParseLine(buffer.Data[..length], line);
            buffer.Consume(newline < 0 ? length : length + 1);
            if (document is not null)
                yield return document;
        }
    }

    private static ExportDocument? ParseLine(ReadOnlySpan<byte> text, long line)
    {
        text = text.Trim(" \t\r"u8);
        return text.IsEmpty ? null : ExportDocument.OfLine(text, line);
    }

    private enum ArrayPhase { Before, Inside, After }

    private static async IAsyncEnumerable<ExportDocument> ReadArrayAsync(Stream stream, Buffer buffer, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new JsonReaderState(Options);
        var phase = ArrayPhase.Before;
        long lineOfBufferStart = 1;
        while (true)
        {
            if (phase == ArrayPhase.After)
            {
                var rest = buffer.Data.IndexOfAnyExcept(" \t\r\n"u8);
                if (rest >= 0)
                {
                    yield return new ExportDocument(default, lineOfBufferStart + buffer.Data[..rest].Count((byte)'\n'), "there is more after the array");
                    yield break;
                }
                if (buffer.EndOfFile)
                    yield break;
                lineOfBufferStart += buffer.Data.Count((byte)'\n');
                buffer.Consume(buffer.Data.Length);
                await buffer.FillAsync(stream, cancellationToken);
                continue;
            }

            var step = Step(buffer.Data, buffer.EndOfFile, ref state, ref phase, lineOfBufferStart);
            if (step.Document is not null)
                yield return step.Document;
            if (step.Stop)
                yield break;
            if (step.Consumed > 0)
            {
                lineOfBufferStart += buffer.Data[..step.Consumed].Count((byte)'\n');
                buffer.Consume(step.Consumed);
            }
            else if (step.Document is null)
            {
                if (buffer.EndOfFile)
                {
                    yield return new ExportDocument(default, lineOfBufferStart, "the file ends inside the array");
                    yield break;
                }
                await buffer.FillAsync(stream, cancellationToken);
            }
        }
    }

    /// <summary>What one step over the array did: a document (or error) found, bytes used up, or, with neither, more input needed.</summary>
    private readonly record struct ArrayStep(ExportDocument? Document, int Consumed, bool Stop = false);

    // Reads the opening bracket, one element or the closing bracket; the reader's state carries over between buffers.
    private static ArrayStep Step(ReadOnlySpan<byte> data, bool endOfFile, ref JsonReaderState state, ref ArrayPhase phase, long lineOfBufferStart)
    {
        var reader = new Utf8JsonReader(data, endOfFile, state);
        try
        {
            if (!reader.Read())
                return new(null, 0);
            if (phase == ArrayPhase.Before)
            {
                phase = ArrayPhase.Inside;
                state = reader.CurrentState;
                return new(null, (int)reader.BytesConsumed);
            }
            if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
            {
                phase = ArrayPhase.After;
                return new(null, (int)reader.BytesConsumed);
            }
            var line = lineOfBufferStart + data[..(int)reader.TokenStartIndex].Count((byte)'\n');
            if (reader.TokenType != JsonTokenType.StartObject)
                return new(new ExportDocument(default, line, "a document must be a JSON object"), 0, Stop: true);
            var probe = reader;
            if (!probe.TrySkip())
                return new(null, 0);
            var root = JsonElement.ParseValue(ref reader);
            state = reader.CurrentState;
            return new(new ExportDocument(root, line), (int)reader.BytesConsumed);
        }
        catch (JsonException ex)
        {
            return new(new ExportDocument(default, (ex.LineNumber ?? 0) + 1, $"invalid JSON ({Describe(ex)})"), 0, Stop: true);
        }
    }

    internal static string Describe(JsonException ex)
    {
        var cut = ex.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut < 0 ? ex.Message : ex.Message[..cut]).TrimEnd('.', ' ');
    }

    /// <summary>A growing window over the file: unread bytes at the front, refilled from the stream.</summary>
    private sealed class Buffer(byte[] bytes) : IDisposable
    {
        private byte[] _bytes = bytes;
        private int _start;
        private int _end;

        public bool EndOfFile { get; private set; }

        public ReadOnlySpan<byte> Data => _bytes.AsSpan(_start, _end - _start);

        public void Consume(int count) => _start += count;

        public async Task FillAsync(Stream stream, CancellationToken cancellationToken)
        {
            if (_start > 0)
            {
                System.Buffer.BlockCopy(_bytes, _start, _bytes, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            if (_end == _bytes.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_bytes.Length * 2); // one document larger than the buffer
                System.Buffer.BlockCopy(_bytes, 0, larger, 0, _end);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = larger;
            }
            var read = await stream.ReadAsync(_bytes.AsMemory(_end), cancellationToken);
            _end += read;
            EndOfFile = read == 0;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
    }
}
