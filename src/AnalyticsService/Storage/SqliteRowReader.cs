using System.Linq.Expressions;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsService.Storage;

/// <summary>
/// A query prepared once on SQLite's own handle, its parameters bound as <see cref="SqliteRowStatement{T}"/> binds them and
/// each row read into a new TRow, each column into the property of its name, matched once. For reading many rows in a
/// loop: a million rooms read back a day at a time took 6.1 s through Dapper, where SQLite itself reads them in 0.8 s
/// (docs/performance.md, "Import").
/// </summary>
public sealed class SqliteRowReader<TParameters, TRow> : SqlitePreparedStatement where TRow : new()
{
    private readonly Action<nint, TParameters> _bind;
    private readonly Action<nint, TRow> _read;

    public SqliteRowReader(SqliteConnection connection, string sql) : base(connection, sql)
    {
        _bind = SqliteBinder<TParameters>.For(Statement);
        _read = Reader();
    }

    /// <summary>The rows of the query for these parameters, in the connection's open transaction.</summary>
    public List<TRow> Read(TParameters parameters)
    {
        var rows = new List<TRow>();
        _bind(Pointer, parameters);
        try
        {
            int result;
            while ((result = SqliteNative.Step(Pointer)) == raw.SQLITE_ROW)
            {
                var row = new TRow();
                _read(Pointer, row);
                rows.Add(row);
            }
            Check(result);
        }
        finally
        {
            SqliteNative.Reset(Pointer);
        }
        return rows;
    }

    private Action<nint, TRow> Reader()
    {
        var statement = Expression.Parameter(typeof(nint), "statement");
        var row = Expression.Parameter(typeof(TRow), "row");
        var reads = new List<Expression>();
        for (var i = 0; i < raw.sqlite3_column_count(Statement); i++)
        {
            var name = raw.sqlite3_column_name(Statement, i).utf8_to_string();
            var property = typeof(TRow).GetProperty(name)
                ?? throw new InvalidOperationException($"The query's column {name} is no property of {typeof(TRow).Name}.");
            var read = property.PropertyType == typeof(long) ? nameof(Int64) : property.PropertyType == typeof(string) ? nameof(Text)
                : throw new NotSupportedException($"{typeof(TRow).Name}.{name}: no SQLite reading for {property.PropertyType}");
            var method = typeof(SqliteRowReader<TParameters, TRow>).GetMethod(read, System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
            reads.Add(Expression.Assign(Expression.Property(row, property), Expression.Call(method, statement, Expression.Constant(i))));
        }
        return Expression.Lambda<Action<nint, TRow>>(Expression.Block(reads), statement, row).Compile();
    }

    private static long Int64(nint statement, int column) => SqliteNative.ColumnInt64(statement, column);

    private static string? Text(nint statement, int column) => SqliteNative.ColumnText(statement, column);
}
