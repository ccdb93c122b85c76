using AnalyticsService.Storage;

namespace AnalyticsService.Tests.Sql;

/// <summary>
/// No SQL Server runs on these machines, so every T-SQL statement the service can send is checked here: it parses with
/// ScriptDom's TSql160Parser, and it names only tables and columns the T-SQL migrations create and only the
/// @parameters its Dapper call passes.
/// </summary>
public sealed class TSqlTests
{
    private static readonly SqlServerDialect Dialect = new();

    private static IEnumerable<string> MigrationBatches() =>
        new[] { Dialect.CreateMigrationsTable.Text }.Concat(SchemaMigrator.Load(Dialect).SelectMany(m => Dialect.SplitBatches(m.Sql)));

    private static TSqlCatalog Catalog()
    {
        var catalog = new TSqlCatalog();
        foreach (var batch in MigrationBatches())
            catalog.AddDefinitions(batch);
        return catalog;
    }

    /// <summary>The parameters a statement's caller passes: its parameter type's properties, or @Batch for a JSON batch.</summary>
    private static IEnumerable<string> Passed(SqlDialect.Statement statement) =>
        statement.AsJsonBatch ? ["Batch"] : statement.Parameters.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Select(p => p.Name);

    public static TheoryData<string> StatementNames() => new(Dialect.AllStatements().Select(s => s.Name));

    [Fact]
    public void The_migrations_parse_and_create_the_tables_the_service_uses()
    {
        foreach (var batch in MigrationBatches())
            Assert.Empty(TSqlCatalog.ParseErrors(batch));
        Assert.Equal(["count_change_days", "department_agents", "department_ancestors", "departments", "login_tokens", "permission_roles", "report_counts", "report_counts_hourly", "roles", "room_counts", "room_counts_all", "room_counts_all_hourly", "room_counts_hourly", "rooms", "schema_migrations", "source_counts", "store_version", "sync_state",
            "unit_monitors", "user_roles", "users"], Catalog().Tables.Keys.Order());
        Assert.Equal(["chat_duration", "closed_at", "department_ancestors", "department_id", "department_kind", "id", "is_closed", "is_on_hold",
            "is_open", "is_queued", "needs_reimport", "on_hold", "open", "served_by_id", "served_by_kind", "served_by_ts", "served_by_username",
            "source_alias", "source_alias_kind", "source_kind", "source_type", "source_type_kind", "t", "tags", "tags_kind", "ts"], Catalog().Tables["rooms"].Order());
        Assert.Contains("department_kind", Catalog().Tables["room_counts"]);
        Assert.Contains("department_kind", Catalog().Tables["room_counts_hourly"]);
    }

    [Theory]
    [MemberData(nameof(StatementNames))]
    public void Each_statement_parses_and_names_only_what_exists(string name)
    {
        var statement = Dialect.AllStatements().Single(s => s.Name == name);
        Assert.Empty(TSqlCatalog.ParseErrors(statement.Text));
        Assert.Empty(Catalog().Check(statement.Text, Passed(statement)));
    }

    [Theory]
    [InlineData("SELECT COUNT(*) FROM dbo.rooms r WHERE r.t = 'l' AND r.tss >= @Start AND r.ts < @End", "Start,End", "unknown column r.tss")]
    [InlineData("SELECT COUNT(*) FROM dbo.rooms WHERE chat_durration > 0", "", "unknown column chat_durration")]
    [InlineData("SELECT id FROM dbo.room WHERE id = @Id", "Id", "unknown table room")]
    [InlineData("INSERT INTO dbo.users (id, user_name) VALUES (@Id, @Username)", "Id,Username", "unknown column user_name in users")]
    [InlineData("SELECT id FROM dbo.users WHERE username = @UserName", "Username,Extra", "@Extra is passed but not used")]
    [InlineData("SELECT id FROM dbo.users WHERE id = @Id AND active = @Active", "Id", "@Active is not passed by the caller")]
    [InlineData("SELECT x.id FROM dbo.users u", "", "unknown table or alias x (for x.id)")]
    [InlineData("SELEC id FROM dbo.users", "", "line 1: Incorrect syntax near 'id'.")]
    public void The_check_fails_on_a_misspelt_statement(string sql, string passed, string problem)
    {
        var problems = Catalog().Check(sql, passed.Split(',', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(problem, problems);
    }
}
