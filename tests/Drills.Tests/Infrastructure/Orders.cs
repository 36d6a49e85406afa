using Dapper;
using FlashFundX.TestSupport;
using FlashFundX.TestSupport.Service;
using Npgsql;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>Bulk order helpers for drills: many users, bounded concurrency, waiting on database counts rather than per-order polling.</summary>
public static class Orders
{
    /// <summary>Creates <paramref name="count"/> orders through <c>POST /orders</c>, spread over <paramref name="users"/> users, <paramref name="parallelism"/> at a time.</summary>
    public static async Task<IReadOnlyList<(TestUser User, OrderSnapshot Order)>> CreateManyAsync(
        FulfillmentService service, int count, int users, int parallelism = 8, int accountSize = 10000, string platform = "mt5")
    {
        ArgumentNullException.ThrowIfNull(service);
        var customers = Enumerable.Range(0, users).Select(_ => service.NewUser()).ToArray();
        var clients = customers.Select(u => service.CreateClient(u)).ToArray();
        var created = new (TestUser, OrderSnapshot)[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var owner = i % users;
            created[i] = (customers[owner], await service.CreateOrderAsync(clients[owner], accountSize: accountSize, platform: platform, cancellationToken: ct));
        });
        return created;
    }

    /// <summary>
    /// Polls <paramref name="sql"/> (a count) until it reaches <paramref name="target"/> or <paramref name="timeout"/> passes,
    /// printing progress every 5 s; returns the last count. A database error (an outage) counts as "not yet".
    /// </summary>
    public static async Task<long> WaitForCountAsync(
        NpgsqlDataSource dataSource, string sql, long target, TimeSpan timeout, DrillLog log, string what)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(log);
        var nextReport = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        long count = -1;
        var (reached, last) = await Eventually.TryWaitAsync(
            async () =>
            {
                try
                {
                    await using var connection = await dataSource.OpenConnectionAsync();
                    count = await connection.ExecuteScalarAsync<long>(sql);
                }
                catch (NpgsqlException)
                {
                    // The database is down or restarting: keep waiting.
                }
                if (DateTime.UtcNow >= nextReport)
                {
                    log.Line($"  … {what}: {count}/{target}");
                    nextReport = DateTime.UtcNow + TimeSpan.FromSeconds(5);
                }
                return count;
            },
            current => current >= target, timeout, TimeSpan.FromMilliseconds(250));
        log.Line($"{what}: {last}/{target}{(reached ? "" : $" after {timeout.TotalSeconds:0}s (timed out)")}");
        return last;
    }
}
