using Dapper;
using Npgsql;

namespace FlashFundX.Ops.Tests.Backups;

/// <summary>
/// What a database holds, table by table: the row count and an md5 of every row's text in order, plus each sequence's
/// last value. Two databases with equal digests hold the same rows.
/// </summary>
internal static class TableDigests
{
    public static async Task<IReadOnlyDictionary<string, string>> OfAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tables = await connection.QueryAsync<string>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
        foreach (var table in tables)
        {
            digests[table] = await connection.ExecuteScalarAsync<string>($"""
                SELECT count(*) || ' rows, md5 ' || coalesce(md5(string_agg(t::text, E'\n' ORDER BY t::text)), '-')
                FROM public."{table}" t
                """) ?? "";
        }
        var sequences = await connection.QueryAsync<(string Name, long? LastValue)>(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'");
        foreach (var (name, lastValue) in sequences)
        {
            digests["sequence " + name] = lastValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unused";
        }
        return digests;
    }

    public static long Rows(IReadOnlyDictionary<string, string> digests, string table) =>
        long.Parse(digests[table].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}
