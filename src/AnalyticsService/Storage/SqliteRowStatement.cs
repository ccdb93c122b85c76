using System.Linq.Expressions;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AnalyticsService.Storage;

/// <summary>
/// A row statement (<see cref="BatchStatement{TRow}"/> run per row) prepared once on SQLite's own handle and stepped once
/// per row, each property of the row bound at the position its @Name has in the SQL, looked up once. Microsoft.Data.Sqlite
/// looks every parameter up by name on every run (a linear search of the statement's names, so a room's 25 parameters
/// cost some 300 string compares) and wraps each call: that was most of an import's writing (docs/performance.md, "Import").
/// </summary>
public sealed class SqliteRowStatement<T> : SqlitePreparedStatement
{
    private readonly Action<nint, T> _bind;

    public SqliteRowStatement(SqliteConnection connection, string sql) : base(connection, sql) => _bind = SqliteBinder<T>.For(Statement);

    /// <summary>Runs the statement once per row, in the connection's open transaction.</summary>
    public void Run(List<T> rows)
    {
        foreach (var row in rows)
        {
            _bind(Pointer, row);
            var result = SqliteNative.Step(Pointer);
            SqliteNative.Reset(Pointer);
            if (result != raw.SQLITE_DONE)
                Check(result);
        }
    }
}

/// <summary>
/// A statement prepared through SQLitePCLRaw, which owns it until disposed, and used through its raw pointer
/// (<see cref="SqliteNative"/>): what <see cref="SqliteRowStatement{T}"/> and <see cref="SqliteRowReader{TParameters, TRow}"/> share.
/// </summary>
public abstract class SqlitePreparedStatement : IDisposable
{
    private readonly sqlite3 _db;

    protected SqlitePreparedStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        Statement = statement;
        Pointer = statement.DangerousGetHandle();
    }

    protected sqlite3_stmt Statement { get; }

    protected nint Pointer { get; }

    public void Dispose() => Statement.Dispose();

    /// <summary>Throws SQLite's error for a result that is neither OK nor DONE.</summary>
    protected void Check(int result)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE))
            SqliteException.ThrowExceptionForRC(result, _db);
    }
}

/// <summary>
/// Compiles, per statement, one delegate binding every property of T the SQL names (as @Property) with the typed bind
/// call of its type: no lookup per row, and no boxing but for properties typed object (a dialect's instants).
/// </summary>
internal static class SqliteBinder<T>
{
    public static Action<nint, T> For(sqlite3_stmt statement)
    {
        var target = Expression.Parameter(typeof(nint), "statement");
        var row = Expression.Parameter(typeof(T), "row");
        var binds = new List<Expression>();
        foreach (var property in typeof(T).GetProperties())
        {
            var index = raw.sqlite3_bind_parameter_index(statement, "@" + property.Name);
            if (index == 0)
                continue; // a property the statement does not use
            var method = typeof(SqliteBinder<T>).GetMethod(nameof(Bind), [typeof(nint), typeof(int), property.PropertyType])
                ?? throw new NotSupportedException($"{typeof(T).Name}.{property.Name}: no SQLite binding for {property.PropertyType}");
            binds.Add(Expression.Call(method, target, Expression.Constant(index), Expression.Property(row, property)));
        }
        if (binds.Count != raw.sqlite3_bind_parameter_count(statement))
            throw new InvalidOperationException($"A statement for {typeof(T).Name} names a parameter that is not one of its properties.");
        return Expression.Lambda<Action<nint, T>>(binds.Count == 0 ? Expression.Empty() : Expression.Block(binds), target, row).Compile();
    }

    public static void Bind(nint s, int i, long value) => SqliteNative.BindInt64(s, i, value);
    public static void Bind(nint s, int i, int value) => SqliteNative.BindInt64(s, i, value);
    public static void Bind(nint s, int i, byte value) => SqliteNative.BindInt64(s, i, value);
    public static void Bind(nint s, int i, bool value) => SqliteNative.BindInt64(s, i, value ? 1 : 0);
    public static void Bind(nint s, int i, double value) => SqliteNative.BindDouble(s, i, value);

    public static void Bind(nint s, int i, long? value)
    {
        if (value is { } v) SqliteNative.BindInt64(s, i, v);
        else SqliteNative.BindNull(s, i);
    }

    public static void Bind(nint s, int i, object? value)
    {
        switch (value)
        {
            case null: SqliteNative.BindNull(s, i); break;
            case long v: Bind(s, i, v); break;
            case int v: Bind(s, i, v); break;
            case string v: Bind(s, i, v); break;
            case double v: Bind(s, i, v); break;
            default: throw new NotSupportedException($"No SQLite binding for {value.GetType()}");
        }
    }

    public static void Bind(nint s, int i, double? value)
    {
        if (value is { } v) SqliteNative.BindDouble(s, i, v);
        else SqliteNative.BindNull(s, i);
    }

    // UTF-8 through a stack buffer for the short strings rows hold; SQLite copies the bytes (SQLITE_TRANSIENT).
    public static void Bind(nint s, int i, string? value)
    {
        if (value is null)
        {
            SqliteNative.BindNull(s, i);
            return;
        }
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> utf8 = most <= 512 ? stackalloc byte[512] : new byte[most];
        SqliteNative.BindText(s, i, utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
    }
}
