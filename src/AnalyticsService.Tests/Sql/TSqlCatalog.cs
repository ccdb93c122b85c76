using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace AnalyticsService.Tests.Sql;

/// <summary>
/// The tables and columns that T-SQL migrations create, read from ScriptDom's syntax tree, and a check that a
/// statement names only tables and columns that exist there and only the @parameters its caller passes.
/// </summary>
public sealed class TSqlCatalog
{
    private readonly Dictionary<string, HashSet<string>> _tables = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<string, HashSet<string>> Tables => _tables;

    public static IList<ParseError> ParseErrors(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors;
    }

    public static TSqlFragment Parse(string sql)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        if (errors.Count > 0)
            throw new InvalidOperationException(string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
        return fragment;
    }

    public void AddDefinitions(string sql)
    {
        var definitions = new DefinitionCollector();
        Parse(sql).Accept(definitions);
        foreach (var change in definitions.Changes)
            change(_tables);
    }

    /// <summary>Every problem of a statement: unknown tables or columns, and @parameters other than those passed.</summary>
    public IReadOnlyList<string> Check(string sql, IEnumerable<string> passedParameters)
    {
        var errors = ParseErrors(sql);
        if (errors.Count > 0)
            return errors.Select(e => $"line {e.Line}: {e.Message}").ToList();

        var names = new StatementNames();
        Parse(sql).Accept(names);
        var problems = new List<string>();

        // Every source a column can come from in this statement: tables by alias and name, table variables, OPENJSON.
        var sources = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var aliases = names.Tables.Select(t => t.Alias).Concat(names.TableVariableReferences.Select(t => t.Alias)).OfType<string>()
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, alias) in names.Tables)
        {
            if (alias is null && aliases.Contains(name))
                continue; // "UPDATE u ... FROM dbo.users u": the target names an alias
            if (!_tables.TryGetValue(name, out var columns))
            {
                problems.Add($"unknown table {name}");
                continue;
            }
            sources[name] = columns;
            if (alias is not null)
                sources[alias] = columns;
        }
        foreach (var (variable, columns) in names.TableVariables)
            sources[variable] = columns;
        foreach (var (variable, alias) in names.TableVariableReferences)
        {
            if (!names.TableVariables.TryGetValue(variable, out var columns))
                problems.Add($"undeclared table variable {variable}");
            else if (alias is not null)
                sources[alias] = columns;
        }
        foreach (var (alias, columns) in names.OpenJsonColumns.Concat(names.DerivedTables))
            sources[alias ?? $"derived#{sources.Count}"] = columns;

        foreach (var (qualifier, column) in names.Columns)
        {
            if (qualifier is not null)
            {
                if (!sources.TryGetValue(qualifier, out var columns))
                    problems.Add($"unknown table or alias {qualifier} (for {qualifier}.{column})");
                else if (!columns.Contains(column))
                    problems.Add($"unknown column {qualifier}.{column}");
            }
            else if (!sources.Values.Any(columns => columns.Contains(column)))
                problems.Add($"unknown column {column}");
        }
        foreach (var (target, column) in names.TargetColumns)
        {
            if (sources.TryGetValue(target, out var columns) && !columns.Contains(column))
                problems.Add($"unknown column {column} in {target}");
        }

        var used = names.Parameters.Where(p => !names.TableVariables.ContainsKey(p)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var passed = passedParameters.Select(p => "@" + p).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.AddRange(used.Except(passed).Order().Select(p => $"{p} is not passed by the caller"));
        problems.AddRange(passed.Except(used).Order().Select(p => $"{p} is passed but not used"));
        return problems;
    }

    /// <summary>What a migration does to the tables, in its order: CREATE TABLE, ALTER TABLE … ADD columns, DROP TABLE.</summary>
    private sealed class DefinitionCollector : TSqlFragmentVisitor
    {
        public List<Action<Dictionary<string, HashSet<string>>>> Changes { get; } = [];

        public override void Visit(CreateTableStatement node)
        {
            var (table, columns) = (node.SchemaObjectName.BaseIdentifier.Value, Names(node.Definition.ColumnDefinitions));
            Changes.Add(tables => tables[table] = columns);
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            var (table, columns) = (node.SchemaObjectName.BaseIdentifier.Value, Names(node.Definition.ColumnDefinitions));
            Changes.Add(tables =>
            {
                if (!tables.TryGetValue(table, out var existing))
                    throw new InvalidOperationException($"ALTER TABLE of unknown table {table}");
                existing.UnionWith(columns);
            });
        }

        public override void Visit(DropTableStatement node)
        {
            var names = node.Objects.Select(o => o.BaseIdentifier.Value).ToList();
            Changes.Add(tables => names.ForEach(name => tables.Remove(name)));
        }

        private static HashSet<string> Names(IEnumerable<ColumnDefinition> columns) =>
            columns.Select(c => c.ColumnIdentifier.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private sealed class StatementNames : TSqlFragmentVisitor
    {
        public List<(string Name, string? Alias)> Tables { get; } = [];
        public Dictionary<string, HashSet<string>> TableVariables { get; } = new(StringComparer.OrdinalIgnoreCase);
        public List<(string Variable, string? Alias)> TableVariableReferences { get; } = [];
        public List<(string? Alias, HashSet<string> Columns)> OpenJsonColumns { get; } = [];
        public List<(string? Alias, HashSet<string> Columns)> DerivedTables { get; } = [];
        public List<(string? Qualifier, string Column)> Columns { get; } = [];
        public List<(string Target, string Column)> TargetColumns { get; } = [];
        public List<string> Parameters { get; } = [];
        private readonly HashSet<VariableReference> _procedureParameterNames = [];

        public override void Visit(NamedTableReference node) =>
            Tables.Add((node.SchemaObject.BaseIdentifier.Value, node.Alias?.Value));

        public override void Visit(DeclareTableVariableBody node) =>
            TableVariables[node.VariableName.Value] = node.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public override void Visit(VariableTableReference node) =>
            TableVariableReferences.Add((node.Variable.Name, node.Alias?.Value));

        public override void Visit(OpenJsonTableReference node)
        {
            var columns = node.SchemaDeclarationItems.Count > 0
                ? node.SchemaDeclarationItems.Select(i => i.ColumnDefinition.ColumnIdentifier.Value)
                : ["key", "value", "type"];
            OpenJsonColumns.Add((node.Alias?.Value, columns.ToHashSet(StringComparer.OrdinalIgnoreCase)));
        }

        /// <summary>"FROM (SELECT … AS x, …) AS s": s has the columns its first SELECT names.</summary>
        public override void Visit(QueryDerivedTable node)
        {
            var query = node.QueryExpression;
            while (query is BinaryQueryExpression union)
                query = union.FirstQueryExpression;
            while (query is QueryParenthesisExpression parenthesis)
                query = parenthesis.QueryExpression;
            if (query is not QuerySpecification select)
                return;
            var columns = select.SelectElements.OfType<SelectScalarExpression>()
                .Select(e => e.ColumnName?.Value ?? (e.Expression as ColumnReferenceExpression)?.MultiPartIdentifier.Identifiers[^1].Value)
                .OfType<string>();
            DerivedTables.Add((node.Alias?.Value, columns.ToHashSet(StringComparer.OrdinalIgnoreCase)));
        }

        public override void Visit(ColumnReferenceExpression node)
        {
            if (node.ColumnType != ColumnType.Regular || node.MultiPartIdentifier is null)
                return;
            var parts = node.MultiPartIdentifier.Identifiers;
            Columns.Add((parts.Count > 1 ? parts[^2].Value : null, parts[^1].Value));
        }

        public override void Visit(InsertSpecification node)
        {
            var target = node.Target switch
            {
                NamedTableReference named => named.SchemaObject.BaseIdentifier.Value,
                VariableTableReference variable => variable.Variable.Name,
                _ => null,
            };
            if (target is null)
                return;
            foreach (var column in node.Columns)
                TargetColumns.Add((target, column.MultiPartIdentifier.Identifiers[^1].Value));
        }

        public override void Visit(ExecuteParameter node)
        {
            if (node.Variable is not null)
                _procedureParameterNames.Add(node.Variable); // "@Resource =" names the procedure's parameter
        }

        public override void Visit(VariableReference node)
        {
            if (!_procedureParameterNames.Contains(node))
                Parameters.Add(node.Name);
        }
    }
}
