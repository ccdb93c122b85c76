using AnalyticsService.Storage;
using Dapper;
using Microsoft.Data.Sqlite;

namespace AnalyticsService.Tests;

/// <summary>
/// The per-row statement every SQLite write goes through (rooms, users, the counts): values bound by position must land
/// exactly as Microsoft.Data.Sqlite would have bound them by name.
/// </summary>
public sealed class SqliteRowStatementTests
{
    public sealed record Row(string Key, string? Text, long? Number, double? Real, bool Flag, byte Kind, int Unused);

    private const string Insert = "INSERT INTO t (key, text, number, real, flag, kind) VALUES (@Key, @Text, @Number, @Real, @Flag, @Kind)";

    private static async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE t (key TEXT NOT NULL PRIMARY KEY, text TEXT NULL, number INTEGER NULL, real REAL NULL, flag INTEGER NOT NULL, kind INTEGER NOT NULL)");
        return connection;
    }

    [Fact]
    public async Task Each_value_is_stored_with_its_type_an_empty_string_as_text_and_null_as_NULL()
    {
        await using var connection = await OpenAsync();
        var longText = new string('é', 400) + "🙂"; // more UTF-8 bytes than the stack buffer holds
        using (var statement = new SqliteRowStatement<Row>(connection, Insert))
            statement.Run([new("a", "", 0, 0.5, true, 2, 9), new("b", null, null, null, false, 0, 9), new("ç", longText, long.MinValue, -1e300, true, 255, 9)]);

        var stored = (await connection.QueryAsync<(string, string, string?, string, string?, string, string?, string, long, long)>(
            "SELECT key, typeof(text), text, typeof(number), CAST(number AS TEXT), typeof(real), CAST(real AS TEXT), typeof(flag), flag, kind FROM t ORDER BY rowid")).ToList();
        Assert.Equal([
            ("a", "text", "", "integer", "0", "real", "0.5", "integer", 1L, 2L),
            ("b", "null", null, "null", null, "null", null, "integer", 0L, 0L),
            ("ç", "text", longText, "integer", "-9223372036854775808", "real", "-1.0e+300", "integer", 1L, 255L),
        ], stored);
    }

    [Fact]
    public async Task A_statement_runs_again_for_the_next_batch_and_a_failing_row_is_a_SqliteException_with_its_code()
    {
        await using var connection = await OpenAsync();
        using var statement = new SqliteRowStatement<Row>(connection, Insert);
        statement.Run([new("a", "x", 1, 1, true, 1, 0)]);
        statement.Run([new("b", "y", 2, 2, false, 1, 0)]);

        var error = Assert.Throws<SqliteException>(() => statement.Run([new("c", "z", 3, 3, true, 1, 0), new("a", "again", 4, 4, true, 1, 0)]));

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT: the primary key
        Assert.Contains("UNIQUE constraint failed: t.key", error.Message);
        Assert.Equal(["a", "b", "c"], await connection.QueryAsync<string>("SELECT key FROM t ORDER BY key"));
        statement.Run([new("d", null, null, null, true, 1, 0)]); // the statement was reset and still runs
        Assert.Equal(4L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM t"));
    }

    [Fact]
    public async Task A_statement_naming_a_parameter_the_row_does_not_have_is_refused_when_prepared()
    {
        await using var connection = await OpenAsync();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new SqliteRowStatement<Row>(connection, "INSERT INTO t (key, text, flag, kind) VALUES (@Key, @Missing, @Flag, @Kind)"));

        Assert.Equal("A statement for Row names a parameter that is not one of its properties.", error.Message);
    }
}

/// <summary>The reader a session counting its rooms at commit reads them back with: every column into its property.</summary>
public sealed class SqliteRowReaderTests
{
    public sealed record Range(object Start, object End);

    public sealed class Read
    {
        public string Key { get; set; } = "";
        public long Number { get; set; }
        public string? Text { get; set; }
    }

    [Fact]
    public async Task Rows_are_read_by_column_name_with_nulls_and_UTF8_and_the_query_runs_again_with_other_parameters()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await connection.ExecuteAsync("""
            CREATE TABLE t (key TEXT NOT NULL, number INTEGER NOT NULL, text TEXT NULL);
            INSERT INTO t VALUES ('a', 1, 'é🙂'), ('b', 2, NULL), ('c', -9223372036854775808, '');
            """);
        using var reader = new SqliteRowReader<Range, Read>(connection,
            "SELECT text AS Text, key AS Key, number AS Number FROM t WHERE number >= @Start AND number < @End ORDER BY key");

        Assert.Equal([("a", 1L, (string?)"é🙂"), ("b", 2L, null)], reader.Read(new Range(1L, 3L)).Select(r => (r.Key, r.Number, r.Text)));
        Assert.Equal([("c", long.MinValue, (string?)"")], reader.Read(new Range(long.MinValue, 0L)).Select(r => (r.Key, r.Number, r.Text)));
        Assert.Empty(reader.Read(new Range(5L, 9L)));
    }

    [Fact]
    public async Task A_column_that_is_no_property_is_refused_when_prepared()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();

        var error = Assert.Throws<InvalidOperationException>(() =>
            new SqliteRowReader<Range, Read>(connection, "SELECT 1 AS Other WHERE @Start < @End"));

        Assert.Equal("The query's column Other is no property of Read.", error.Message);
    }
}
