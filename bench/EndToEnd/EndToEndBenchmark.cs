using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FlashFundX.LocalDev.Mail;
using FlashFundX.NowPayments;
using FlashFundX.NowPayments.Simulator;
using FlashFundX.TestSupport.Service;
using FlashFundX.TestSupport.Temporal;
using static System.FormattableString;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// The whole service under load: the real API over Kestrel with its in-process worker, the embedded Temporal server
/// (or <c>TEMPORAL_ADDRESS</c>), PostgreSQL, and signed IPNs from the NowPayments simulator to the real webhook.
/// <para>
/// Phases: start the service and import stock; warm up (JIT, pools); an unloaded reference of orders one at a time;
/// then the measured run: <c>--concurrency</c> customers each create an order (<c>POST /orders</c>) and pay it at once
/// (the simulator walks waiting → confirming → confirmed → sending → finished, one signed IPN each), until
/// <c>--orders</c> orders are paid; then it waits until every one is delivered. Meanwhile a prober times
/// <c>GET /health/live</c> on the same server: the trivial-request baseline under the same load. A fixed workload
/// (<see cref="ReferenceLoad"/>) runs just before and just after, so the run's rates can be set against the VM's speed
/// at that moment.
/// </para>
/// Usage: <c>e2e [--orders 1000] [--concurrency 32] [--warmup 300] [--sequential 30] [--log-level Information] [--chart bench/e2e-latency.png] [--jit-log] [--time-skipping] [--temporal-process] [--smtp]</c>.
/// The embedded server runs in real time unless <c>--time-skipping</c> asks for the test harness's mode (for comparison);
/// <c>--temporal-process</c> runs it in a process of its own, as a cluster runs apart from the service, and reports its
/// CPU and memory separately. Order e-mails are off (each recorded as skipped) unless <c>--smtp</c> sends them to a local
/// SMTP sink in this process.
/// Exit code 1 when an order was not delivered exactly once.
/// </summary>
public static class EndToEndBenchmark
{
    private const double GoalWebhookP99Ms = 20;
    private const double GoalConfirmedToDeliveredP99Ms = 1000;
    private const double GoalOrdersPerSecond = 100;
    private const string AccountType = "two_step";
    private const int AccountSize = 10000;
    private const string Platform = "mt5";
    private const string PayCurrency = "usdt_trc20";

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var orders = Args.Int(args, "--orders", 1000);
        var concurrency = Args.Int(args, "--concurrency", 32);
        var warmup = Args.Int(args, "--warmup", 300); // JIT tiering settles only after a few hundred orders
        var sequential = Args.Int(args, "--sequential", 30);
        var logLevel = Args.Str(args, "--log-level") ?? "Information";
        var chartPath = Path.GetFullPath(Args.Str(args, "--chart") ?? DefaultChartPath());
        var timeout = TimeSpan.FromSeconds(Args.Int(args, "--timeout-seconds", 900));

        // The service logs to the console (JSON when redirected), as in production; here that goes to a file so the
        // report stays readable. The report itself is written to the original standard output.
        var serviceLogPath = Path.Combine(Path.GetTempPath(), $"flashfundx-e2e-service-{Environment.ProcessId}.log");
        var serviceLog = new StreamWriter(serviceLogPath) { AutoFlush = false };
        Report.Out = Console.Out;
        Console.SetOut(TextWriter.Synchronized(serviceLog));
        try
        {
            return await RunCoreAsync(
                orders, concurrency, warmup, sequential, logLevel, chartPath, timeout, serviceLogPath, args.Contains("--jit-log"), args.Contains("--time-skipping"),
                args.Contains("--temporal-process"), args.Contains("--smtp")).ConfigureAwait(false);
        }
        finally
        {
            Console.SetOut(Report.Out);
            await serviceLog.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<int> RunCoreAsync(
        int orders, int concurrency, int warmup, int sequential, string logLevel, string chartPath, TimeSpan timeout, string serviceLogPath, bool jitLogEnabled,
        bool timeSkipping, bool temporalProcess, bool smtp)
    {
        using var serverTimings = new ServerTimings();
        using var jitLog = jitLogEnabled ? new JitLog() : null;
        Out.WriteLine(Invariant($"e2e: {orders} orders, concurrency {concurrency}, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        var startWatch = Stopwatch.StartNew();
        // WebApplicationFactory finds src/Api's content root through MvcTestingAppManifest.json in the working
        // directory (test runners start in the output folder): do the same.
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        using var temporalServer = temporalProcess ? await EmbeddedServerProcess.StartAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false) : null;
        if (temporalServer is not null)
        {
            Environment.SetEnvironmentVariable("TEMPORAL_ADDRESS", temporalServer.Target);
        }
        // The embedded server in real time, as the service runs it locally (src/LocalDev): the test harness's default,
        // time-skipping mode, keeps a virtual clock and takes its locks around every task, which a real cluster does not.
        await using var temporal = new TemporalTestEnvironment { TimeSkipping = timeSkipping };
        await temporal.InitializeAsync().ConfigureAwait(false);
        var options = new FulfillmentServiceOptions { DatabaseLabel = "bench", Temporal = temporal };
        // The service's own log level (the app default is Information); its console output would bury the report.
        options.Settings["Serilog:MinimumLevel:Default"] = logLevel;
        // 50 customers place thousands of orders in minutes and the simulator sends every IPN from one address: the
        // per-customer and per-address limits (docs/security.md#limits) are raised so the bench measures throughput.
        options.Settings["Limits:OrderCreationsPerUser"] = "1000000";
        options.Settings["Limits:OpenUnpaidOrdersPerUser"] = "100000";
        options.Settings["Limits:WebhookRequestsPerAddress"] = "1000000";
        await using var mail = smtp ? await LocalSmtpSink.StartAsync().ConfigureAwait(false) : null;
        if (mail is not null)
        {
            options.Settings["Smtp:Enabled"] = "true";
            options.Settings["Smtp:Host"] = mail.Host;
            options.Settings["Smtp:Port"] = mail.Port.ToString(CultureInfo.InvariantCulture);
            options.Settings["Smtp:UseTls"] = "false";
        }
        await using var service = await FulfillmentService.StartAsync(options).ConfigureAwait(false);
        var temporalKind = temporalServer is null ? TemporalKind(service.TemporalEnvironment) : "embedded (real time, own process)";
        Out.WriteLine(Invariant($"  service at {service.BaseAddress} (Temporal: {temporalKind}, task queue {service.TaskQueue}), log level {logLevel} to {serviceLogPath}, started in {startWatch.Elapsed.TotalSeconds:F1} s"));
        Out.WriteLine(mail is null
            ? "  e-mail: off (each recorded as skipped; --smtp sends them to a local SMTP sink)"
            : Invariant($"  e-mail: to a local SMTP sink in this process on port {mail.Port}"));

        var total = orders + warmup * MaxWarmupRounds + sequential;
        var import = await service.ImportInventoryAsync(total, AccountSize, Platform).ConfigureAwait(false);
        Out.WriteLine(Invariant($"  imported {import.Imported} {Platform} {AccountSize} accounts"));

        using var http = service.CreateClient((string?)null);
        var users = Enumerable.Range(0, Math.Max(concurrency, 50)).Select(_ => service.NewUser()).ToArray();
        var driver = new OrderDriver(service, http, users);
        var postgresPid = ResourceSampler.ReadPostmasterPid(await TryScalarAsync(service, "SHOW data_directory").ConfigureAwait(false));

        // 1. Warm-up: JIT, pools, Temporal sticky caches. Not measured. Tiered compilation promotes a method only after
        // enough calls and a quiet spell, and with PGO it compiles most methods three times, so one round of a few
        // hundred orders left many compilations per order inside the measured run (bench/RESULTS.md, "Earlier results
        // (2026-12-02, 05:52–07:08 UTC): `e2e` after the JIT-settled warm-up, …", item 1): rounds at
        // the run's concurrency repeat, each followed by a pause for the background compiler, until a round compiles
        // fewer than a quarter of a method per order.
        await WarmUpAsync(service, driver, http, postgresPid, warmup, concurrency, timeout).ConfigureAwait(false);

        // 2. Unloaded reference: one order at a time, each delivered before the next.
        var healthIdle = await ProbeHealthAsync(http, 300, CancellationToken.None).ConfigureAwait(false);
        var seq = await driver.RunAsync(sequential, 1, waitForDelivery: true, timeout).ConfigureAwait(false);
        var seqTimes = await OrderTimeline.LoadAsync(service, seq.Orders).ConfigureAwait(false);

        // 3. The machine's speed now: a fixed workload right before and right after the run (the first call warms it up).
        await ReferenceLoad.RunAsync(http, postgresPid, TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        var referenceBefore = await ReferenceLoad.RunAsync(http, postgresPid, ReferenceDuration).ConfigureAwait(false);

        // 4. The measured run.
        Out.WriteLine(Invariant($"  run: load average before {LoadAverage()}"));
        using var probeStop = new CancellationTokenSource();
        var sampler = ResourceSampler.Start(postgresPid, temporalServer?.Pid);
        await using (sampler.ConfigureAwait(false))
        {
            serverTimings.Reset();
            jitLog?.Start();
            var healthUnderLoad = ProbeHealthAsync(http, int.MaxValue, probeStop.Token, pauseMs: 10);
            var run = await driver.RunAsync(orders, concurrency, waitForDelivery: false, timeout).ConfigureAwait(false);
            var allDelivered = await WaitForAllDeliveredAsync(service, run.Orders, timeout).ConfigureAwait(false);
            var resources = await sampler.StopAsync().ConfigureAwait(false) with { TemporalServerPeakWorkingSet = temporalServer?.PeakWorkingSet() };
            jitLog?.Stop();
            await probeStop.CancelAsync().ConfigureAwait(false);
            var healthLoaded = await healthUnderLoad.ConfigureAwait(false);
            var loadAfter = LoadAverage();
            Out.WriteLine(Invariant($"  run: load average after {loadAfter}"));

            var times = await OrderTimeline.LoadAsync(service, run.Orders).ConfigureAwait(false);
            var integrity = await CheckIntegrityAsync(service).ConfigureAwait(false);
            var temporalBreakdown = await TemporalBreakdown.SampleAsync(service, run.Orders.Select(o => o.OrderId).Take(100).ToArray()).ConfigureAwait(false);
            serverTimings.Freeze();
            var referenceAfter = await ReferenceLoad.RunAsync(http, postgresPid, ReferenceDuration).ConfigureAwait(false);

            var report = new Report(orders, concurrency, run, times, seq, seqTimes, healthIdle, healthLoaded, resources, integrity, allDelivered)
            {
                Reference = (referenceBefore, referenceAfter),
            };
            report.Print(temporalKind, logLevel);
            temporalBreakdown.Print();
            serverTimings.Print();
            jitLog?.Print(orders);

            var series = new List<Samples>
            {
                report.WebhookAck,
                report.HealthLoaded,
                report.CreateOrder,
                report.ConfirmedToDelivered,
                new("webhook ack, 1 order at a time", seq.IpnDeliveries.Select(d => d.Elapsed.TotalMilliseconds)),
                new("confirmed → delivered, 1 order at a time", seqTimes.ConfirmedToDelivered()),
            };
            LatencyChart.Save(chartPath,
                Invariant($"FlashFundX end-to-end: {orders} orders, concurrency {concurrency}, {Environment.ProcessorCount} cores"),
                series,
                [(Invariant($"goal webhook p99 {GoalWebhookP99Ms} ms"), GoalWebhookP99Ms), (Invariant($"goal confirmed→delivered p99 {GoalConfirmedToDeliveredP99Ms / 1000} s"), GoalConfirmedToDeliveredP99Ms)]);
            Out.WriteLine($"chart: {Path.GetFullPath(chartPath)}");
            return integrity.Ok && allDelivered ? 0 : 1;
        }
    }

    private const int MaxWarmupRounds = 6;
    private static readonly TimeSpan ReferenceDuration = TimeSpan.FromSeconds(5);
    private const double SettledCompilationsPerOrder = 0.25;

    private static async Task WarmUpAsync(
        FulfillmentService service, OrderDriver driver, HttpClient http, int? postgresPid, int ordersPerRound, int concurrency, TimeSpan timeout)
    {
        for (var round = 1; round <= MaxWarmupRounds && ordersPerRound > 0; round++)
        {
            var compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
            // As the measured run drives them: everything paid at once, the backlog delivered after. Rounds that waited
            // for each delivery before the next order never queued signals or coalesced reports, so the code of those
            // paths was still tiering up inside the measured run (bench/RESULTS.md, "2026-12-02, 18:17–20:24 UTC: the
            // warm-up, the e-mail as a local activity, where the reservation gap sits", item 1).
            // The measured run's own instruments (health probe, resource sampler) run too: their code is in the process.
            using var probeStop = new CancellationTokenSource();
            var probe = ProbeHealthAsync(http, int.MaxValue, probeStop.Token, pauseMs: 10);
            var sampler = ResourceSampler.Start(postgresPid);
            await using (sampler.ConfigureAwait(false))
            {
                try
                {
                    var warm = await driver.RunAsync(ordersPerRound, concurrency, waitForDelivery: false, timeout).ConfigureAwait(false);
                    if (!await WaitForAllDeliveredAsync(service, warm.Orders, timeout).ConfigureAwait(false))
                    {
                        throw new TimeoutException($"Warm-up round {round}: not every order was delivered within {timeout}.");
                    }
                    await sampler.StopAsync().ConfigureAwait(false);
                }
                finally
                {
                    await probeStop.CancelAsync().ConfigureAwait(false);
                    await probe.ConfigureAwait(false);
                }
            }
            var settled = await WaitForJitToSettleAsync().ConfigureAwait(false);
            var perOrder = (double)(System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore) / ordersPerRound;
            Out.WriteLine(Invariant($"  warm-up round {round}: {ordersPerRound} orders delivered, {perOrder:F1} methods compiled per order, JIT quiet after {settled.TotalSeconds:F1} s"));
            if (perOrder < SettledCompilationsPerOrder)
            {
                return;
            }
        }
    }

    /// <summary>Waits until the JIT has compiled nothing for a second (at most 30 s): the tier-up queue is drained.</summary>
    private static async Task<TimeSpan> WaitForJitToSettleAsync()
    {
        var waited = Stopwatch.StartNew();
        var last = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(1000).ConfigureAwait(false);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == last)
            {
                break;
            }
            last = now;
        }
        return waited.Elapsed;
    }

    private static string TemporalKind(TemporalTestEnvironment temporal) =>
        temporal.Kind == "embedded" ? (temporal.SupportsTimeSkipping ? "embedded (time skipping)" : "embedded (real time)") : temporal.Kind;

    private static string DefaultChartPath()
    {
        // bench/ when run from the repository root (the README command), else the working directory.
        return Directory.Exists("bench") && File.Exists(Path.Combine("bench", "Benchmarks.cs"))
            ? Path.Combine("bench", "e2e-latency.png")
            : "e2e-latency.png";
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static async Task<string?> TryScalarAsync(FulfillmentService service, string sql)
    {
        try
        {
            return await service.ScalarAsync<string>(sql).ConfigureAwait(false);
        }
        catch (Npgsql.PostgresException)
        {
            return null;
        }
    }

    private static async Task<Samples> ProbeHealthAsync(HttpClient http, int count, CancellationToken stop, int pauseMs = 0)
    {
        var latencies = new List<double>();
        try
        {
            for (var i = 0; i < count && !stop.IsCancellationRequested; i++)
            {
                var started = Stopwatch.GetTimestamp();
                using (var response = await http.GetAsync(new Uri("health/live", UriKind.Relative), stop).ConfigureAwait(false))
                {
                    await response.Content.ReadAsByteArrayAsync(stop).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (pauseMs > 0)
                {
                    await Task.Delay(pauseMs, stop).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run ended.
        }
        return new Samples(count == int.MaxValue ? "GET /health/live (baseline, same load)" : "GET /health/live (idle)", latencies);
    }

    private static async Task<bool> WaitForAllDeliveredAsync(FulfillmentService service, IReadOnlyList<DrivenOrder> orders, TimeSpan timeout)
    {
        var ids = orders.Select(o => o.OrderId).ToArray();
        var deadline = Stopwatch.StartNew();
        var last = -1L;
        var lastReport = Stopwatch.StartNew();
        while (true)
        {
            var delivered = await service.ScalarAsync<long>(
                "SELECT count(*) FROM orders WHERE order_id = ANY(@Ids) AND delivery_status = 'delivered'", new { Ids = ids }).ConfigureAwait(false);
            if (delivered == ids.Length)
            {
                return true;
            }
            if (lastReport.Elapsed > TimeSpan.FromSeconds(10) && delivered != last)
            {
                Out.WriteLine(Invariant($"  … {delivered}/{ids.Length} delivered"));
                lastReport.Restart();
                last = delivered;
            }
            if (deadline.Elapsed > timeout)
            {
                Out.WriteLine(Invariant($"  TIMEOUT: {delivered}/{ids.Length} delivered after {timeout}"));
                return false;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<Integrity> CheckIntegrityAsync(FulfillmentService service)
    {
        var doubleAccounts = await service.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT container_account_id FROM delivered_accounts GROUP BY 1 HAVING count(*) > 1) x").ConfigureAwait(false);
        var doubleOrders = await service.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT order_id FROM delivered_accounts GROUP BY 1 HAVING count(*) > 1) x").ConfigureAwait(false);
        var failed = await service.ScalarAsync<long>(
            "SELECT count(*) FROM orders WHERE order_status IN ('failed', 'cancelled', 'expired')").ConfigureAwait(false);
        var delivered = await service.ScalarAsync<long>("SELECT count(*) FROM delivered_accounts").ConfigureAwait(false);
        var rejectedIpns = await service.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_events WHERE outcome <> 'accepted'").ConfigureAwait(false);
        return new Integrity(delivered, doubleAccounts, doubleOrders, failed, rejectedIpns);
    }

    internal sealed record Integrity(long Delivered, long AccountsTwice, long OrdersTwice, long FailedOrders, long NonAcceptedIpns)
    {
        public bool Ok => AccountsTwice == 0 && OrdersTwice == 0 && FailedOrders == 0;
    }

    /// <summary>The measured numbers and how they are printed.</summary>
    internal static TextWriter Out => Report.Out;

    private sealed class Report(
        int orders,
        int concurrency,
        DriveResult run,
        OrderTimeline times,
        DriveResult seq,
        OrderTimeline seqTimes,
        Samples healthIdle,
        Samples healthLoaded,
        ResourceReport resources,
        Integrity integrity,
        bool allDelivered)
    {
        /// <summary>The bench's own standard output (the process's console carries the service's logs).</summary>
        public static TextWriter Out { get; set; } = Console.Out;

        public Samples WebhookAck { get; } = new("webhook ack (all IPNs)", run.IpnDeliveries.Select(d => d.Elapsed.TotalMilliseconds));

        public Samples WebhookAckConfirmed { get; } = new("webhook ack (confirmed IPN)",
            run.IpnDeliveries.Where(d => d.Status == NowPaymentsStatuses.Confirmed).Select(d => d.Elapsed.TotalMilliseconds));

        public Samples HealthLoaded { get; } = healthLoaded;

        public Samples CreateOrder { get; } = new("POST /orders (201 with invoice)", run.Orders.Select(o => o.CreateMs));

        public Samples ConfirmedToDelivered { get; } = new("confirmed IPN ack → delivered", times.ConfirmedToDelivered());

        /// <summary>The reference workload just before and just after the run (<see cref="ReferenceLoad"/>).</summary>
        public (ReferenceResult Before, ReferenceResult After) Reference { get; init; }

        public void Print(string temporalKind, string logLevel)
        {
            var elapsed = times.LastDelivered - run.StartedAt;
            var ordersPerSecond = orders / elapsed.TotalSeconds;
            var createPerSecond = orders / (run.LastCreatedAt - run.StartedAt).TotalSeconds;
            var paidPerSecond = orders / (run.LastPaidAt - run.StartedAt).TotalSeconds;
            var ipnFailures = run.IpnDeliveries.Count(d => !d.Succeeded);
            var accountDelivered = new Samples("confirmed IPN ack → account delivered (delivered_at)", times.ConfirmedToAccountDelivered());
            var seqWebhook = new Samples("webhook ack, 1 order at a time", seq.IpnDeliveries.Select(d => d.Elapsed.TotalMilliseconds));
            var seqConfirmed = new Samples("confirmed → delivered, 1 order at a time", seqTimes.ConfirmedToDelivered());
            var seqCreate = new Samples("POST /orders, 1 order at a time", seq.Orders.Select(o => o.CreateMs));

            Out.WriteLine();
            Out.WriteLine(Invariant($"## e2e: {orders} orders, concurrency {concurrency}, {Environment.ProcessorCount} cores, Temporal {temporalKind}, service log level {logLevel}"));
            Out.WriteLine();
            Out.WriteLine("| metric | measured | baseline (same process) | ratio | goal | verdict |");
            Out.WriteLine("|---|---|---|---|---|---|");
            Row("orders/s sustained (first create → last delivered)",
                Invariant($"{ordersPerSecond:F1} /s ({orders} in {elapsed.TotalSeconds:F1} s)"), "", "", Invariant($"≥ {GoalOrdersPerSecond} /s"),
                Verdict(ordersPerSecond >= GoalOrdersPerSecond));
            Row("webhook ack p50 / p99 (all IPNs, under load)", PairMs(WebhookAck), "GET /health/live same load " + PairMs(HealthLoaded),
                Ratio(WebhookAck, HealthLoaded), Invariant($"p99 ≤ {GoalWebhookP99Ms} ms"), Verdict(WebhookAck.P(0.99) <= GoalWebhookP99Ms));
            Row("webhook ack p50 / p99 (1 order at a time)", PairMs(seqWebhook), "GET /health/live idle " + PairMs(healthIdle),
                Ratio(seqWebhook, healthIdle), Invariant($"p99 ≤ {GoalWebhookP99Ms} ms"), Verdict(seqWebhook.P(0.99) <= GoalWebhookP99Ms));
            Row("confirmed IPN ack → delivered p50 / p99 (under load)", PairMs(ConfirmedToDelivered), "1 order at a time " + PairMs(seqConfirmed),
                Ratio(ConfirmedToDelivered, seqConfirmed), Invariant($"p99 ≤ {GoalConfirmedToDeliveredP99Ms} ms"),
                Verdict(ConfirmedToDelivered.P(0.99) <= GoalConfirmedToDeliveredP99Ms));
            Row("confirmed IPN ack → account delivered (delivered_at) p50 / p99", PairMs(accountDelivered), "", "", "", "");
            Row("POST /orders p50 / p99 (incl. invoice creation)", PairMs(CreateOrder), "1 order at a time " + PairMs(seqCreate),
                Ratio(CreateOrder, seqCreate), "", "");
            Row("peak memory: working set (VmHWM, whole process lifetime)", ResourceReport.Mib(resources.PeakWorkingSetLifetime),
                Invariant($"peak sampled during run {ResourceReport.Mib(resources.PeakWorkingSetDuringRun)}"), "", "", "");
            Row("peak memory: GC heap / committed (sampled every 100 ms)",
                Invariant($"{ResourceReport.Mib(resources.PeakGcHeap)} / {ResourceReport.Mib(resources.PeakGcCommitted)}"), "", "", "", "");
            if (resources.TemporalServerPeakWorkingSet is { } serverPeak)
            {
                Row("peak memory: Temporal server process (VmHWM, every workflow's history in memory)", ResourceReport.Mib(serverPeak), "", "", "", "");
            }
            Row("CPU during run (cores used of " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + ")",
                Invariant($"bench process {ResourceReport.Cores(resources.ProcessCpu, resources.Wall):F2}, PostgreSQL {(resources.PostgresCpu is { } pg ? ResourceReport.Cores(pg, resources.Wall).ToString("F2", CultureInfo.InvariantCulture) : "n/a")}")
                + (resources.TemporalServerCpu is { } server ? Invariant($", Temporal server process {ResourceReport.Cores(server, resources.Wall):F2}") : "")
                + Invariant($", machine busy {100.0 * resources.MachineBusy / resources.MachineTotal:F0}%"),
                "", "", "", "");
            var benchCpuPerOrder = resources.ProcessCpu.TotalMilliseconds / orders;
            var postgresCpuPerOrder = resources.PostgresCpu is { } pgCpu ? pgCpu.TotalMilliseconds / orders : 0;
            var serverCpuPerOrder = resources.TemporalServerCpu is { } serverCpu ? serverCpu.TotalMilliseconds / orders : (double?)null;
            var cpuPerOrder = benchCpuPerOrder + postgresCpuPerOrder + (serverCpuPerOrder ?? 0);
            Row(serverCpuPerOrder is null
                    ? "CPU per order: bench process (API, worker, Temporal, simulator, load) + PostgreSQL"
                    : "CPU per order: bench process (API, worker, simulator, load) + PostgreSQL + Temporal server process",
                Invariant($"{benchCpuPerOrder:F1} + {postgresCpuPerOrder:F1}")
                + (serverCpuPerOrder is { } perOrder ? Invariant($" + {perOrder:F1}") : "")
                + Invariant($" = {cpuPerOrder:F1} ms"),
                Invariant($"⇒ at most {Environment.ProcessorCount * 1000 / cpuPerOrder:F0} orders/s on {Environment.ProcessorCount} dedicated cores"),
                "", Invariant($"≤ {Environment.ProcessorCount * 1000 / GoalOrdersPerSecond:F0} ms for {GoalOrdersPerSecond} /s"),
                Verdict(cpuPerOrder <= Environment.ProcessorCount * 1000 / GoalOrdersPerSecond));
            var reference = ReferenceResult.Mean(Reference.Before, Reference.After);
            Row(Invariant($"reference workload: GET /health/ready from {ReferenceLoad.Clients} clients for {ReferenceDuration.TotalSeconds:F0} s, before / after the run"),
                Invariant($"{Reference.Before} / {Reference.After}"), "", Invariant($"after ÷ before ×{Reference.After.RequestsPerSecond / Reference.Before.RequestsPerSecond:F2}"), "", "");
            Row("orders/s per 1,000 reference requests/s (comparable between moments of the VM)",
                Invariant($"{1000 * ordersPerSecond / reference.RequestsPerSecond:F1}"),
                Invariant($"reference {reference.RequestsPerSecond:F0} /s"), "", "", "");
            Row("CPU per order in reference requests (comparable between moments of the VM)",
                Invariant($"{cpuPerOrder / reference.CpuMsPerRequest:F1}"),
                Invariant($"reference {reference.CpuMsPerRequest:F2} ms per request"), "", "", "");
            Row("create rate / pay rate (run start → last 201 / last IPN ack)", Invariant($"{createPerSecond:F1} /s / {paidPerSecond:F1} /s"), "", "", "", "");
            Row("IPNs sent / not acknowledged 2xx", Invariant($"{run.IpnDeliveries.Count} / {ipnFailures}"), "", "", "", "");
            Row("integrity", Invariant($"{integrity.Delivered} delivered, {integrity.AccountsTwice} accounts twice, {integrity.OrdersTwice} orders twice, {integrity.FailedOrders} failed, {integrity.NonAcceptedIpns} IPNs not accepted, all delivered: {allDelivered}"), "", "", "", integrity.Ok && allDelivered ? "ok" : "FAIL");
            Out.WriteLine();
            Out.WriteLine("Latency detail (ms):");
            foreach (var s in new[] { WebhookAck, WebhookAckConfirmed, HealthLoaded, healthIdle, seqWebhook, CreateOrder, seqCreate, ConfirmedToDelivered, accountDelivered, seqConfirmed })
            {
                Out.WriteLine("  " + s.Describe());
            }
            Out.WriteLine();
            Out.WriteLine(Invariant($"CPU of the bench process during the run by thread name ({resources.ProcessCpu.TotalSeconds:F1} s in all), ms per order:"));
            foreach (var (group, cpu) in resources.CpuByThreadGroup.Take(12))
            {
                Out.WriteLine(Invariant($"  {group,-75} {cpu.TotalMilliseconds / orders,6:F1}  ({100 * cpu / resources.ProcessCpu,4:F0}%)"));
            }
            Out.WriteLine(Invariant($"  JIT during the run: {resources.MethodsJitted} methods compiled ({(double)resources.MethodsJitted / orders:F1} per order), {resources.JitTime.TotalMilliseconds / orders:F1} ms JIT time per order"));
            Out.WriteLine();
            Out.WriteLine("Where confirmed → delivered goes (order_events timestamps, under load | 1 order at a time):");
            foreach (var ((name, loaded), (_, alone)) in times.StageGaps().Zip(seqTimes.StageGaps()))
            {
                Out.WriteLine(Invariant($"  {name,-58} p50 {loaded.P(0.5),8:F1}  p99 {loaded.P(0.99),8:F1}  mean {loaded.Mean,8:F1} | p50 {alone.P(0.5),6:F1}  p99 {alone.P(0.99),6:F1}"));
            }
        }

        private static void Row(string metric, string measured, string baseline, string ratio, string goal, string verdict) =>
            Out.WriteLine($"| {metric} | {measured} | {baseline} | {ratio} | {goal} | {verdict} |");

        private static string PairMs(Samples s) => Invariant($"{s.P(0.5):F1} / {s.P(0.99):F1} ms");

        private static string Ratio(Samples a, Samples b) => Invariant($"×{a.P(0.5) / b.P(0.5):F1} / ×{a.P(0.99) / b.P(0.99):F1}");

        private static string Verdict(bool met) => met ? "met" : "**missed**";
    }
}

/// <summary>One order the driver created and paid.</summary>
internal sealed record DrivenOrder(string OrderId, double CreateMs, DateTime CreatedAt, IReadOnlyList<IpnDeliveryResult> Ipns)
{
    /// <summary>When the webhook acknowledged the first IPN that makes the order paid (<c>confirmed</c>).</summary>
    public DateTime? ConfirmedAckAt => Ipns.FirstOrDefault(d => d.Status == NowPaymentsStatuses.Confirmed) is { } ipn
        ? (ipn.SentAt + ipn.Elapsed).UtcDateTime
        : null;
}

internal sealed record DriveResult(DateTime StartedAt, DateTime LastCreatedAt, DateTime LastPaidAt, IReadOnlyList<DrivenOrder> Orders)
{
    public IReadOnlyList<IpnDeliveryResult> IpnDeliveries { get; } = Orders.SelectMany(o => o.Ipns).ToArray();
}

/// <summary>Customers: each creates an order through the API and pays it through the simulator at once.</summary>
internal sealed class OrderDriver(FulfillmentService service, HttpClient http, TestUser[] users)
{
    private int _userCursor;

    public async Task<DriveResult> RunAsync(int count, int concurrency, bool waitForDelivery, TimeSpan timeout)
    {
        var results = new ConcurrentBag<DrivenOrder>();
        var next = -1;
        var lastCreated = DateTime.MinValue;
        var lastPaid = DateTime.MinValue;
        var gate = new Lock();
        var startedAt = DateTime.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                var user = users[Interlocked.Increment(ref _userCursor) % users.Length];
                var order = await DriveOneAsync(user).ConfigureAwait(false);
                results.Add(order);
                lock (gate)
                {
                    lastCreated = order.CreatedAt > lastCreated ? order.CreatedAt : lastCreated;
                    var paid = order.Ipns.Max(i => (i.SentAt + i.Elapsed).UtcDateTime);
                    lastPaid = paid > lastPaid ? paid : lastPaid;
                }
                if (waitForDelivery)
                {
                    await WaitDeliveredAsync(order.OrderId, timeout).ConfigureAwait(false);
                }
            }
        })).ConfigureAwait(false);
        return new DriveResult(startedAt, lastCreated, lastPaid, [.. results.OrderBy(o => o.CreatedAt)]);
    }

    private async Task<DrivenOrder> DriveOneAsync(TestUser user)
    {
        var started = Stopwatch.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders")
        {
            Content = JsonContent.Create(new { accountType = "two_step", accountSize = 10000, platform = "mt5", payCurrency = "usdt_trc20" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var createMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var createdAt = DateTime.UtcNow;
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /orders answered {(int)response.StatusCode}: {body}\n{service.Logs.Tail()}");
        }
        using var json = JsonDocument.Parse(body);
        var order = OrderSnapshot.From(json.RootElement);
        var invoiceId = order.InvoiceId ?? (await service.WaitForInvoiceAsync(order.OrderId).ConfigureAwait(false)).Id;
        var payment = await service.Simulator.PayInvoiceAsync(invoiceId, NowPaymentsStatuses.Finished).ConfigureAwait(false);
        return new DrivenOrder(order.OrderId, createMs, createdAt, payment.Deliveries);
    }

    private async Task WaitDeliveredAsync(string orderId, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (await service.ScalarAsync<string>("SELECT delivery_status FROM orders WHERE order_id = @orderId", new { orderId }).ConfigureAwait(false) != "delivered")
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"Order {orderId} was not delivered within {timeout}.");
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
