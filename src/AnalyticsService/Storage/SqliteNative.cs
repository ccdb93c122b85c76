using System.Runtime.InteropServices;

namespace AnalyticsService.Storage;

/// <summary>
/// The few SQLite calls made once per row or per value (binding, stepping, reading a column), called on the statement's
/// raw pointer in the same library SQLitePCLRaw loaded. Through SQLitePCLRaw each call adds and releases a reference on
/// the statement's SafeHandle: 4% of an import's processor time (docs/performance.md, "Import"). The statement is still
/// prepared and finalized through SQLitePCLRaw, whose handle its owner keeps for as long as it uses the pointer.
/// </summary>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLite copies the bound bytes before the call returns.</summary>
    private static readonly nint Transient = -1;

    [DllImport(Library, EntryPoint = "sqlite3_bind_int64")]
    public static extern int BindInt64(nint statement, int index, long value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_double")]
    public static extern int BindDouble(nint statement, int index, double value);

    [DllImport(Library, EntryPoint = "sqlite3_bind_null")]
    public static extern int BindNull(nint statement, int index);

    [DllImport(Library, EntryPoint = "sqlite3_bind_text")]
    private static extern int BindText(nint statement, int index, ref byte utf8, int length, nint destructor);

    /// <summary>Binds UTF-8 text; an empty span binds '' (never NULL: the pointer is to a byte that exists).</summary>
    public static int BindText(nint statement, int index, ReadOnlySpan<byte> utf8)
    {
        byte empty = 0;
        return BindText(statement, index, ref utf8.IsEmpty ? ref empty : ref MemoryMarshal.GetReference(utf8), utf8.Length, Transient);
    }

    [DllImport(Library, EntryPoint = "sqlite3_step")]
    public static extern int Step(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_reset")]
    public static extern int Reset(nint statement);

    [DllImport(Library, EntryPoint = "sqlite3_column_int64")]
    public static extern long ColumnInt64(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_type")]
    public static extern int ColumnType(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_text")]
    private static extern nint ColumnTextPointer(nint statement, int column);

    [DllImport(Library, EntryPoint = "sqlite3_column_bytes")]
    private static extern int ColumnBytes(nint statement, int column);

    /// <summary>A column's text, or null when it is NULL.</summary>
    public static string? ColumnText(nint statement, int column)
    {
        if (ColumnType(statement, column) == SQLitePCL.raw.SQLITE_NULL)
            return null;
        var text = ColumnTextPointer(statement, column); // before its length: sqlite3_column_bytes counts the text it made
        return Marshal.PtrToStringUTF8(text, ColumnBytes(statement, column));
    }
}
