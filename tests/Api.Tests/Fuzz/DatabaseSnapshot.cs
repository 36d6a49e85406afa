using System.Text;
using Dapper;
using Npgsql;

namespace FlashFundX.Api.Tests.Fuzz;

/// <summary>
/// Every table of the database as a row count and an MD5 of its rows' text, sorted: two snapshots are equal only if
/// no row was added, removed or changed. One query; cheap for a test database's few hundred rows.
/// </summary>
public sealed record DatabaseSnapshot(IReadOnlyDictionary<string, (long Rows, string Hash)> Tables)
{
    private const string TablesSql = """
        SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
        ORDER BY table_name
        """;

    public static async Task<DatabaseSnapshot> TakeAsync(NpgsqlDataSource dataSource, string sql)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = await connection.QueryAsync<(string Table, long Rows, string Hash)>(sql);
        return new DatabaseSnapshot(rows.ToDictionary(r => r.Table, r => (r.Rows, r.Hash), StringComparer.Ordinal));
    }

    /// <summary>The query behind <see cref="TakeAsync"/> for every table there is now (built once: the schema does not change during a test).</summary>
    public static async Task<string> QueryAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(TablesSql)).ToArray();
        var sql = new StringBuilder();
        foreach (var table in tables)
        {
            if (sql.Length > 0)
            {
                sql.Append("\nUNION ALL ");
            }
            var name = "\"" + table.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            sql.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"SELECT '{table.Replace("'", "''", StringComparison.Ordinal)}', count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') FROM public.{name} t");
        }
        return sql.ToString();
    }

    /// <summary>The tables whose rows differ from <paramref name="before"/>'s.</summary>
    public IReadOnlyList<string> ChangedSince(DatabaseSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return Tables.Keys.Union(before.Tables.Keys).Where(t => before.Tables.GetValueOrDefault(t) != Tables.GetValueOrDefault(t)).ToArray();
    }

    /// <summary>E.g. <c>orders (3 → 4 rows)</c>.</summary>
    public string Describe(IEnumerable<string> tables, DatabaseSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(before);
        return string.Join(", ", tables.Select(t => $"{t} ({before.Tables.GetValueOrDefault(t).Rows} → {Tables.GetValueOrDefault(t).Rows} rows)"));
    }
}
