using System.Diagnostics;
using Dapper;
using FlashFundX.Api.Data;
using FlashFundX.Api.Temporal;
using FlashFundX.ServiceDefaults.Metrics;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Options;
using Npgsql;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Api.Reconciliation;

/// <summary>
/// Compares the open orders with their workflows, at start and every <see cref="ReconcilerOptions.Interval"/>: the
/// database and Temporal part ways when a database is restored, a namespace recreated, a run terminated or failed.
/// An order whose workflow Temporal does not have at all is started again from its recorded state
/// (<see cref="OrderRunRestart"/>); one whose latest run has closed while the row says open is not restarted — the run
/// may have done more than the row shows (a restored database) — but flagged for an operator (orders.attention_reason),
/// counted and logged. Several API processes may run it: a pass holds a PostgreSQL advisory lock, and a process that
/// finds it taken skips its pass.
/// </summary>
public sealed partial class OrderReconciler(
    CallerScopedDatabase database,
    OrderWorkflowClient workflows,
    OrderRunRestart restart,
    ReconcilerStatus status,
    IOptions<ReconcilerOptions> options,
    FulfillmentMetrics metrics,
    TimeProvider time,
    ILogger<OrderReconciler> logger) : BackgroundService
{
    public const string Restarted = "restarted";
    public const string Flagged = "flagged";
    public const string RunMissing = "run_missing";

    /// <summary>The pass's advisory lock key, the same in every process on the database ("FFXRECON").</summary>
    private const long LockKey = 0x4646_5852_4543_4F4E;

    private const string PageSql = $"""
        SELECT order_id FROM orders
         WHERE {OpenOrders.Condition}
           AND attention_reason IS NULL
           AND order_id > @After AND created_at < now() - @MinAge
         ORDER BY order_id
         LIMIT @Limit
        """;

    // Only while the order is still open (it may have ended since it was listed) and not flagged for the same reason.
    private const string FlagSql = $"""
        UPDATE orders SET attention_reason = @Reason, attention_at = now()
         WHERE order_id = @OrderId AND {OpenOrders.Condition} AND attention_reason IS DISTINCT FROM @Reason
        RETURNING order_id
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(settings.Interval, time);
        try
        {
            do
            {
                try
                {
                    await ReconcileAsync(stoppingToken);
                }
#pragma warning disable CA1031 // a failed pass is logged and tried again next interval; readiness reports a run of failures
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
#pragma warning restore CA1031
                {
                    LogPassFailed(logger, ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a pass cut short changes nothing the next one does not check again.
        }
    }

    /// <summary>One pass over every open order, unless another process is running one.</summary>
    public async Task<ReconcilePass> ReconcileAsync(CancellationToken cancellationToken)
    {
        // A session-level lock on a connection of its own, held for the pass (not a transaction left open for minutes).
        await using var lockConnection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        if (!await lockConnection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT pg_try_advisory_lock(@Key)", new { Key = LockKey }, cancellationToken: cancellationToken)))
        {
            LogSkipped(logger);
            status.Completed();
            return new ReconcilePass(false, 0, 0, 0);
        }
        try
        {
            var pass = await CheckOpenOrdersAsync(cancellationToken);
            status.Completed();
            LogPass(logger, pass.Checked, pass.Restarted, pass.Flagged);
            return pass;
        }
        finally
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@Key)", new { Key = LockKey }, cancellationToken: CancellationToken.None));
        }
    }

    private async Task<ReconcilePass> CheckOpenOrdersAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var (checkedCount, restarted, flagged) = (0, 0, 0);
        var after = "";
        while (true)
        {
            string[] page;
            await using (var session = await database.OpenSystemAsync(cancellationToken))
            {
                page = [.. await session.Connection.QueryAsync<string>(session.Command(PageSql,
                    new { After = after, MinAge = settings.MinOrderAge, Limit = settings.PageSize }, cancellationToken))];
            }
            foreach (var batch in page.Chunk(settings.BatchSize))
            {
                var started = Stopwatch.GetTimestamp();
                var actions = await Task.WhenAll(batch.Select(orderId => CheckOrSkipAsync(orderId, cancellationToken)));
                checkedCount += batch.Length;
                restarted += actions.Count(a => a == Restarted);
                flagged += actions.Count(a => a == Flagged);
                var budget = TimeSpan.FromSeconds((double)batch.Length / settings.DescribesPerSecond) - Stopwatch.GetElapsedTime(started);
                if (budget > TimeSpan.Zero)
                {
                    await Task.Delay(budget, time, cancellationToken);
                }
            }
            if (page.Length < settings.PageSize)
            {
                return new ReconcilePass(true, checkedCount, restarted, flagged);
            }
            after = page[^1];
        }
    }

    /// <summary>
    /// One order the reconciler cannot handle (a row it cannot read, a start Temporal refuses) is logged and skipped, so
    /// it does not stop every later pass at the same page; an unavailable database or Temporal still fails the pass.
    /// </summary>
    private async Task<string?> CheckOrSkipAsync(string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return await CheckAsync(orderId, cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or NpgsqlException or TemporalUnavailableException)
                                  && !OrderWorkflowClient.IsUnavailable(e))
        {
            LogOrderSkipped(logger, e, orderId, OrderIds.WorkflowId(orderId));
            return null;
        }
    }

    /// <summary>Checks one order's workflow; returns what was done (<see cref="Restarted"/>, <see cref="Flagged"/>) or null.</summary>
    private async Task<string?> CheckAsync(string orderId, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        if (await workflows.DescribeStatusAsync(orderId, cancellationToken) is not { } runStatus)
        {
            return await RestartAsync(orderId, workflowId, cancellationToken);
        }

        var reason = runStatus switch
        {
            WorkflowExecutionStatus.Completed => "run_completed",
            WorkflowExecutionStatus.Failed => "run_failed",
            WorkflowExecutionStatus.Canceled => "run_canceled",
            WorkflowExecutionStatus.Terminated => "run_terminated",
            WorkflowExecutionStatus.TimedOut => "run_timed_out",
            // Running, or continued as new a moment ago (its successor is running): nothing to do.
            _ => null,
        };
        return reason is null ? null : await FlagAsync(orderId, workflowId, reason, cancellationToken);
    }

    private async Task<string?> RestartAsync(string orderId, string workflowId, CancellationToken cancellationToken)
    {
        var outcome = await restart.StartFromRecordedStateAsync(orderId, replaceClosedRun: false, cancellationToken);
        if (outcome != RestartOutcome.Started)
        {
            // A run appeared meanwhile (POST /orders started it, another restart won), or the order ended or is gone.
            LogNotRestarted(logger, orderId, workflowId, outcome);
            return null;
        }
        metrics.OrderReconciled(Restarted, RunMissing);
        LogRunMissing(logger, orderId, workflowId);
        return Restarted;
    }

    private async Task<string?> FlagAsync(string orderId, string workflowId, string reason, CancellationToken cancellationToken)
    {
        await using var session = await database.OpenSystemAsync(cancellationToken);
        var updated = await session.Connection.QuerySingleOrDefaultAsync<string>(
            session.Command(FlagSql, new { OrderId = orderId, Reason = reason }, cancellationToken));
        await session.CommitAsync(cancellationToken);
        if (updated is null)
        {
            // Already flagged for this, or the order ended since it was listed.
            return null;
        }
        metrics.OrderReconciled(Flagged, reason);
        LogFlagged(logger, orderId, workflowId, reason);
        return Flagged;
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Order {OrderId} is open but its workflow {WorkflowId} has closed ({Reason}): flagged for an operator, not restarted")]
    private static partial void LogFlagged(ILogger logger, string orderId, string workflowId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Order {OrderId} is open but Temporal has no workflow {WorkflowId}: started again from its recorded state")]
    private static partial void LogRunMissing(ILogger logger, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order {OrderId} (workflow {WorkflowId}) not restarted: {Outcome}")]
    private static partial void LogNotRestarted(ILogger logger, string orderId, string workflowId, RestartOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciler pass: {Checked} open order(s) checked, {Restarted} restarted, {Flagged} flagged")]
    private static partial void LogPass(ILogger logger, int @checked, int restarted, int flagged);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconciler pass skipped: another process is running one")]
    private static partial void LogSkipped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciler skipped order {OrderId} (workflow {WorkflowId}); the next pass tries again")]
    private static partial void LogOrderSkipped(ILogger logger, Exception exception, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciler pass failed; the next interval tries again")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
