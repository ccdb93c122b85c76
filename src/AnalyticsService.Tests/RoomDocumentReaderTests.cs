using System.Text;
using System.Text.Json;
using AnalyticsService.Demo;
using AnalyticsService.Import;
using AnalyticsService.Storage;

namespace AnalyticsService.Tests;

/// <summary>
/// The quick room reader against the general one: for every document it reads, the stored row must be the one the
/// general reader makes; whatever it declines, the general reader reads (or rejects, with its error).
/// </summary>
public sealed class RoomDocumentReaderTests
{
    // What each field the reports read may hold, the usual shapes and the odd ones mongoexport can write.
    private static readonly string[] Dates =
    [
        """{"$date":"2026-03-04T05:06:07.089Z"}""", """{"$date":"2025-12-31T23:59:59Z"}""", """{"$date":"2026-03-04T05:06:07.089+02:00"}""",
        """{"$date":"2026-03-04T05:06:07.0891234Z"}""", """{"$date":1767225600000}""", """{"$date":{"$numberLong":"1767225600000"}}""",
        """{"$date":"2026-03-04 05:06:07"}""", """{"$date":"yesterday"}""", """{"$date":"2026-03-04T05:06:07.089Z","x":1}""", """{"x":1}""",
        """{"$date":null}""", "null", "\"2026-03-04T05:06:07Z\"", "17", """{"\u0024date":"2026-03-04T05:06:07.089Z"}""",
        """{"$date":"2026-03-04T05:06:07.089Z","$date":"2027-01-01T00:00:00Z"}""",
    ];
    private static readonly string[] Strings = ["\"a1\"", "\"Agent \\\"Ann\\\"\"", "\"\\u00e9t\\u00e9\"", "\"\"", "null", "5", "true", """{"$oid":"65f0c0ffee"}""", "[\"x\"]"];
    private static readonly string[] Truths = ["true", "0", "false", "2.5", "null", "1", "-0", "0.0", "1e400", "\"\"", "\"no\"", "[]", "{}",
        """{"$numberInt":"0"}""", """{"$numberInt":"3"}""", """{"$numberDouble":"NaN"}"""];
    private static readonly string[] Ids = ["\"r1\"", "\"r\\u0032\"", "\"\"", "\"r3\"", """{"$oid":"65f0c0ffee00"}""", "5", "null"];
    private static readonly string[] Types = ["\"l\"", "\"l\"", "\"l\"", "\"\\u006c\"", "\"c\"", "\"d\"", "null", "1", "\"L\""];
    private static readonly string[] StringArrays = ["[]", "[\"a\",\"b\"]", "[\"a\",\"a\",\"b\"]", "[\"<&>\\u00e9\\\"\"]", "[\"a\",null]", "[null]", "\"solo\"", "[1]", "{}", "null", "[[\"nested\"]]", """[{"$oid":"65f0c0ffee"}]"""];
    private static readonly string[] Extras = ["\"fname\":\"Visitor\"", "\"lastMessage\":{\"msg\":\"hi\",\"u\":{\"_id\":\"x\"},\"arr\":[1,{\"a\":[]}]}",
        "\"msgs\":12", "\"v\":{\"token\":\"t\"}", "\"_updatedAt\":{\"$date\":\"2026-01-01T00:00:00Z\"}"];

    /// <summary>
    /// Draws documents of three kinds, a third each: only the usual shapes (the first four values of each list); the
    /// usual shapes but for one field (any value, or written twice); anything. The second kind meets every odd value
    /// with everything else usual, so that what the status rules make of it shows in the stored row.
    /// </summary>
    private sealed class RoomDrawer(Random random)
    {
        private static readonly string[] Names =
        [
            "_id", "t", "ts", "open", "onHold", "servedBy", "servedBy._id", "servedBy.username", "servedBy.ts", "metrics",
            "metrics.chatDuration", "closedAt", "departmentId", "departmentAncestors", "source", "source.type", "source.alias", "tags",
        ];
        private int _kind;
        private string _odd = "";

        private bool Usual(string name) => _kind == 0 || _kind == 1 && name != _odd;

        private string Pick(string name, string[] values) => values[random.Next(Usual(name) ? Math.Min(4, values.Length) : values.Length)];

        private string Object(string name, params (string Name, string[] Values)[] fields)
        {
            var parts = fields.Where(_ => random.Next(5) > 0).Select(f => $"\"{f.Name}\":{Pick($"{name}.{f.Name}", f.Values)}").ToList();
            if (parts.Count > 0 && (_kind == 2 && random.Next(6) == 0 || _kind == 1 && _odd == $"twice in {name}"))
                parts.Add(parts[random.Next(parts.Count)]); // a field written twice
            if (random.Next(3) == 0)
                parts.Insert(random.Next(parts.Count + 1), "\"other\":[1,{\"deep\":null}]");
            return "{" + string.Join(",", parts.OrderBy(_ => random.Next())) + "}";
        }

        public string Room()
        {
            _kind = random.Next(3);
            _odd = random.Next(5) switch
            {
                0 => $"twice: {Names[random.Next(Names.Length)]}", // a field of the document written twice
                1 => $"twice in {new[] { "servedBy", "metrics", "source" }[random.Next(3)]}",
                _ => Names[random.Next(Names.Length)],
            };
            // Each object field: three drawn objects first, then null and what is not an object.
            var servedBy = Enumerable.Range(0, 3).Select(_ => Object("servedBy", ("_id", Strings), ("username", Strings), ("ts", Dates))).Concat(["null", "\"s\"", "[]"]).ToArray();
            var metrics = Enumerable.Range(0, 3).Select(_ => Object("metrics", ("chatDuration", ["12.5", "0", "null", "1001.453", .. Truths]))).Concat(["null", "5", "{}"]).ToArray();
            var source = Enumerable.Range(0, 3).Select(_ => Object("source", ("type", Strings), ("alias", Strings))).Concat(["null", "\"s\""]).ToArray();
            var fields = new List<string>();
            void Maybe(string name, string[] values, int absentOneIn = 6)
            {
                if (random.Next(absentOneIn) > 0)
                    fields.Add($"\"{name}\":{Pick(name, values)}");
            }
            Maybe("_id", Ids, 30);
            Maybe("t", Types, 15);
            Maybe("ts", Dates, 20);
            Maybe("open", Truths);
            Maybe("onHold", Truths);
            Maybe("servedBy", servedBy);
            Maybe("metrics", metrics);
            Maybe("closedAt", Dates);
            Maybe("departmentId", Strings);
            Maybe("departmentAncestors", StringArrays);
            Maybe("source", source);
            Maybe("tags", StringArrays);
            if (_kind == 1 && fields.FirstOrDefault(f => _odd == $"twice: {f[1..f.IndexOf('"', 1)]}") is { } twice)
                fields.Add(twice);
            if (_kind == 2 && random.Next(8) == 0 && fields.Count > 0)
                fields.Add(fields[random.Next(fields.Count)]);
            fields.AddRange(Extras.Where(_ => random.Next(2) == 0));
            return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
        }
    }

    /// <summary>The general reader's row, or its error.</summary>
    private static (RoomRow? Row, string? Error) General(byte[] line)
    {
        var document = ExportDocument.OfLine(line, 1);
        if (document.Error is { } error)
            return (null, error);
        try
        {
            return (RoomRow.Of(Rooms.Record(document.Root)), null);
        }
        catch (DocumentException ex)
        {
            return (null, ex.Message);
        }
    }

    [Fact]
    public void Every_room_it_reads_is_stored_as_the_general_reader_stores_it()
    {
        var drawer = new RoomDrawer(new Random(20261127));
        int read = 0, declined = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = drawer.Room();
            var line = Encoding.UTF8.GetBytes(text);
            var quick = RoomDocumentReader.Read(line);
            var (general, error) = General(line);
            if (quick is null)
            {
                declined++;
                continue;
            }
            read++;
            Assert.True(error is null, $"read what the general reader rejects ({error}): {text}");
            Assert.True(RoomRow.Of(quick) == general, $"{RoomRow.Of(quick)}\n!=\n{general}\nfor {text}");
        }
        // Both kinds are drawn often enough to mean something.
        Assert.InRange(read, 10_000, 20_000);
        Assert.InRange(declined, 3_000, 20_000);
    }

    [Theory]
    [InlineData("""{"_id":"a","t":"l","ts":{"$date":"2026-01-01T00:00:00Z"}""")]
    [InlineData("""{"_id":"a","t":"l","ts":{"$date":"2026-01-01T00:00:00Z"}} {}""")]
    [InlineData("""[{"_id":"a"}]""")]
    [InlineData("""{"_id":"a","t":"l","ts":{"$date":"2026-01-01T00:00:00Z"},}""")]
    [InlineData("""{"_id":"a","t":"l" "ts":1}""")]
    [InlineData("")]
    public void Text_that_is_not_one_JSON_object_is_left_to_the_general_reader(string text) =>
        Assert.Null(RoomDocumentReader.Read(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_string_that_is_not_UTF8_is_left_to_the_general_reader()
    {
        var line = Encoding.UTF8.GetBytes("""{"_id":"a","t":"l","ts":{"$date":"2026-01-01T00:00:00Z"},"departmentId":"dX"}""");
        line[Array.IndexOf(line, (byte)'X')] = 0xFF;
        Assert.Null(RoomDocumentReader.Read(line));
    }

    [Fact]
    public void The_generators_rooms_are_all_read_quickly_and_as_the_general_reader_reads_them()
    {
        var workspace = new DataGenerator(7).Generate(3_000, 30, DateTimeOffset.Parse("2026-06-01T00:00:00Z"), new DataGenerator.Shape(Agents: 40, Departments: 8, Tags: 30));
        foreach (var room in workspace.Rooms)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                ExportDocuments.Room(writer, room);
                writer.WriteEndObject();
            }
            var quick = RoomDocumentReader.Read(buffer.WrittenSpan);
            Assert.NotNull(quick);
            Assert.Equal(General(buffer.WrittenSpan.ToArray()).Row, RoomRow.Of(quick));
        }
    }
}
