using FlashFundX.TestSupport.Metrics;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using FlashFundX.Data.Database;
using FlashFundX.Activities.Delivery;
using FlashFundX.Data.Delivery;
using FlashFundX.Data.Events;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace FlashFundX.Bench.Reservation;

/// <summary>
/// N paid orders delivered concurrently through our delivery path (the one DeliverOrder activity: rules, account,
/// delivered row, totals and completion in one transaction) and through two baselines, in the same database, at several
/// concurrency levels, each path with its own connection pool of that size:
/// <list type="bullet">
/// <item><see cref="LegacyFunctionDelivery"/>, the faithful one: what the legacy system ran, one call of its PL/pgSQL
/// delivery function over legacy-shaped tables whose updated_at triggers fire on every update;</item>
/// <item>the locked function (<see cref="LegacyVariant.WithLocks"/>): the same function with the least that stops a
/// double hand-out (order row lock, SKIP LOCKED pick, unique order key), so the gap between the two is what that fix
/// costs and the gap to ours is what our other guarantees cost;</item>
/// <item><see cref="ClientStepsDelivery"/>, the earlier simplified one, kept so past results stay comparable: the same
/// steps sent by the client one statement at a time, over bare tables without triggers or password columns.</item>
/// </list>
/// The faithful function and the client steps pick accounts without locking, so they hand some out twice under
/// concurrency; the bench counts that.
/// Usage: <c>--orders 10000 --concurrency 1,8,64</c>. Uses <c>FLASHFUNDX_TEST_POSTGRES</c> if set, else a throwaway local cluster.
/// Exit code 1 when our path handed any account out twice.
/// </summary>
public static class ReservationBenchmark
{
    private const string DoubleHandOutsSql = """
        SELECT count(*) FROM (SELECT container_account_id FROM delivered_accounts GROUP BY 1 HAVING count(*) > 1) twice
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var orders = IntOption(args, "--orders", 10_000);
        var levels = (Option(args, "--concurrency") ?? "1,8,64")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => int.Parse(v, CultureInfo.InvariantCulture))
            .ToArray();

        var postgres = new PostgresFixture();
        await postgres.InitializeAsync().ConfigureAwait(false);
        await using var database = await postgres.CreateDatabaseAsync("bench").ConfigureAwait(false);
        var dataSource = database.DataSource;
        await BenchSchema.CreateAsync(dataSource).ConfigureAwait(false);
        if (await ConnectionShortfallAsync(dataSource, levels.Max()).ConfigureAwait(false) is { } shortfall)
        {
            Console.Error.WriteLine(shortfall);
            return 2;
        }

        Console.WriteLine($"Reservation benchmark: {orders} orders per round, concurrency {string.Join(", ", levels)}, PostgreSQL {dataSource.ConnectionString.Split(';')[0]}");
        await using (var warmUp = new OurDeliveryPath(database.ConnectionString, 8))
        {
            await WarmUpAsync(dataSource, warmUp).ConfigureAwait(false);
        }

        Console.WriteLine();
        Console.WriteLine("Baselines (same orders, same database, own pools):");
        Console.WriteLine("  legacy function = the faithful one: one call of the legacy PL/pgSQL delivery function (SECURITY DEFINER),");
        Console.WriteLine("                    legacy-shaped tables with the documented updated_at triggers");
        Console.WriteLine("  locked function = the legacy function with an order row lock, a SKIP LOCKED pick and a unique order key (its own tables)");
        Console.WriteLine("  client steps    = the earlier simplified one: the same steps as separate client statements, bare tables, no triggers");
        Console.WriteLine();
        Console.WriteLine("            |        ours         |            legacy function             |            locked function             |              client steps              ");
        Console.WriteLine("concurrency | deliveries/s | twice | deliveries/s | twice | ratio ours/function | deliveries/s | twice |  ratio ours/locked  | deliveries/s | twice | ratio ours/steps");
        Console.WriteLine("----------- | ------------ | ----- | ------------ | ----- | ------------------- | ------------ | ----- | ------------------- | ------------ | ----- | ----------------");
        var ourDoubles = 0L;
        foreach (var concurrency in levels)
        {
            await BenchSchema.ResetAndSeedAsync(dataSource, orders).ConfigureAwait(false);
            // Each path has its own pool of as many connections as deliveries in flight. Sharing one pool, a path at
            // concurrency 1 would land on a different idle connection each call (the pool hands them out in turn),
            // each with its PostgreSQL backend's caches cold.
            await using var ours = new OurDeliveryPath(database.ConnectionString, concurrency);
            await using var functionSource = FulfillmentDataSource.Create(PoolOf(database.ConnectionString, concurrency));
            await using var lockedSource = FulfillmentDataSource.Create(PoolOf(database.ConnectionString, concurrency));
            await using var stepsSource = FulfillmentDataSource.Create(PoolOf(database.ConnectionString, concurrency));
            var results = await InterleavedRoundsAsync(
                [
                    ours.DeliverAsync,
                    orderId => LegacyFunctionDelivery.DeliverAsync(functionSource, FaithfulCall, orderId),
                    orderId => LegacyFunctionDelivery.DeliverAsync(lockedSource, LockedCall, orderId),
                    orderId => ClientStepsDelivery.DeliverAsync(stepsSource, orderId),
                ],
                orders, concurrency).ConfigureAwait(false);
            var (our, function, locked, steps) = (results[0], results[1], results[2], results[3]);
            var ourTwice = await ScalarAsync(dataSource, DoubleHandOutsSql).ConfigureAwait(false);
            var functionTwice = await ScalarAsync(dataSource, LegacySchema.DoubleHandOutsSql(LegacyVariant.Faithful)).ConfigureAwait(false);
            var lockedTwice = await ScalarAsync(dataSource, LegacySchema.DoubleHandOutsSql(LegacyVariant.WithLocks)).ConfigureAwait(false);
            var stepsTwice = await ScalarAsync(dataSource, BareLegacySchema.DoubleHandOutsSql).ConfigureAwait(false);
            ourDoubles += ourTwice;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{concurrency,11} | {our.PerSecond,12:0} | {ourTwice,5} | {function.PerSecond,12:0} | {functionTwice,5} | {our.PerSecond / function.PerSecond,19:0.00} | {locked.PerSecond,12:0} | {lockedTwice,5} | {our.PerSecond / locked.PerSecond,19:0.00} | {steps.PerSecond,12:0} | {stepsTwice,5} | {our.PerSecond / steps.PerSecond,16:0.00}"));
            if (our.Delivered != orders || results.Any(r => r.Failed > 0))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"            (delivered/failed of {orders}: ours {our.Delivered}/{our.Failed}, legacy function {function.Delivered}/{function.Failed}, locked function {locked.Delivered}/{locked.Failed}, client steps {steps.Delivered}/{steps.Failed}; {results.Select(r => r.FirstError).FirstOrDefault(e => e is not null)})"));
            }
        }
        Console.WriteLine();
        Console.WriteLine(ourDoubles == 0
            ? "Ours handed no account out twice at any concurrency."
            : $"FAIL: ours handed {ourDoubles} accounts out twice.");
        return ourDoubles == 0 ? 0 : 1;
    }

    private static async Task WarmUpAsync(NpgsqlDataSource dataSource, OurDeliveryPath ours)
    {
        await BenchSchema.ResetAndSeedAsync(dataSource, 300).ConfigureAwait(false);
        await RoundAsync(ours.DeliverAsync, 1, 300, 8).ConfigureAwait(false);
        await RoundAsync(orderId => LegacyFunctionDelivery.DeliverAsync(dataSource, FaithfulCall, orderId), 1, 300, 8).ConfigureAwait(false);
        await RoundAsync(orderId => LegacyFunctionDelivery.DeliverAsync(dataSource, LockedCall, orderId), 1, 300, 8).ConfigureAwait(false);
        await RoundAsync(orderId => ClientStepsDelivery.DeliverAsync(dataSource, orderId), 1, 300, 8).ConfigureAwait(false);
    }

    /// <summary>
    /// All paths over the same orders in <see cref="Slices"/> slices, each slice running the paths one after another in
    /// a different order (every rotation, then every rotation reversed, then every rotation again: with four paths each
    /// runs three times in every position), so drift in the machine's load, and whatever one path leaves behind for the
    /// next, lands on all of them alike.
    /// </summary>
    private static async Task<RoundResult[]> InterleavedRoundsAsync(Func<string, Task<bool>>[] paths, int orders, int concurrency)
    {
        var totals = paths.Select(_ => RoundResult.Empty).ToArray();
        for (var slice = 0; slice < Slices; slice++)
        {
            var first = orders * slice / Slices + 1;
            var count = orders * (slice + 1) / Slices - first + 1;
            var rotation = slice % paths.Length;
            var reversed = slice / paths.Length % 2 == 1;
            for (var step = 0; step < paths.Length; step++)
            {
                var path = (rotation + (reversed ? paths.Length - 1 - step : step)) % paths.Length;
                totals[path] += await RoundAsync(paths[path], first, count, concurrency).ConfigureAwait(false);
            }
        }
        return totals;
    }

    private static async Task<RoundResult> RoundAsync(Func<string, Task<bool>> deliver, int first, int orders, int concurrency)
    {
        var next = first - 1;
        var last = first + orders - 1;
        var delivered = 0;
        var failed = 0;
        string? firstError = null;
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= last)
            {
                try
                {
                    if (await deliver(BenchSchema.OrderId(n)).ConfigureAwait(false))
                    {
                        Interlocked.Increment(ref delivered);
                    }
                }
                catch (Exception e) when (e is NpgsqlException or Temporalio.Exceptions.ApplicationFailureException)
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        stopwatch.Stop();
        return new RoundResult(delivered, failed, orders, stopwatch.Elapsed, firstError);
    }

    /// <summary>
    /// Every path keeps its own pool open through a level (its backends stay warm), so the highest level needs about
    /// four times its connections at once; a server that allows fewer would refuse some and skew the numbers.
    /// </summary>
    private static async Task<string?> ConnectionShortfallAsync(NpgsqlDataSource dataSource, int concurrency)
    {
        var needed = 4 * concurrency + 3; // four pools, the announcer's connection, this one and the count queries'
        // Free slots, counting this connection's own as free: it is one of the ones needed.
        var free = await ScalarAsync(dataSource,
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - count(*) + 1 FROM pg_stat_activity WHERE backend_type = 'client backend'")
            .ConfigureAwait(false);
        return free >= needed
            ? null
            : $"Concurrency {concurrency} needs about {needed} connections at once; this PostgreSQL server has {free} free (max_connections). Raise max_connections or lower --concurrency.";
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var connection = await dataSource.OpenConnectionAsync().ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(sql).ConfigureAwait(false);
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private const int Slices = 12;

    private static readonly string FaithfulCall = LegacyFunctionDelivery.CallSql(LegacyVariant.Faithful);

    private static readonly string LockedCall = LegacyFunctionDelivery.CallSql(LegacyVariant.WithLocks);

    private sealed record RoundResult(int Delivered, int Failed, int Orders, TimeSpan Elapsed, string? FirstError)
    {
        public static RoundResult Empty { get; } = new(0, 0, 0, TimeSpan.Zero, null);

        public double PerSecond => Orders / Elapsed.TotalSeconds;

        public static RoundResult operator +(RoundResult left, RoundResult right) => new(
            left.Delivered + right.Delivered, left.Failed + right.Failed, left.Orders + right.Orders,
            left.Elapsed + right.Elapsed, left.FirstError ?? right.FirstError);
    }

    private static string PoolOf(string connectionString, int connections) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = connections }.ConnectionString;

    /// <summary>
    /// What the workflow runs once an order is paid: one DeliverOrder activity, with the announcer that publishes its
    /// order events after commit, as in the worker.
    /// </summary>
    private sealed class OurDeliveryPath : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;
        private readonly OrderEventAnnouncer _announcer;
        private readonly DeliveryActivities _delivery;

        public OurDeliveryPath(string connectionString, int connections)
        {
            // One connection more than deliveries in flight: the announcer's.
            _dataSource = FulfillmentDataSource.Create(PoolOf(connectionString, connections + 1));
            _announcer = new OrderEventAnnouncer(_dataSource, NullLogger<OrderEventAnnouncer>.Instance);
            _delivery = new DeliveryActivities(_dataSource, _announcer, TestMetrics.Instance, NullLogger<DeliveryActivities>.Instance);
        }

        public async Task<bool> DeliverAsync(string orderId) =>
            (await _delivery.DeliverOrderAsync(new OrderRef(orderId)).ConfigureAwait(false)).Delivered;

        public async ValueTask DisposeAsync()
        {
            await _announcer.DisposeAsync().ConfigureAwait(false);
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }
}
