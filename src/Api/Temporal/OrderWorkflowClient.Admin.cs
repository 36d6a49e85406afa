using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Exceptions;

namespace FlashFundX.Api.Temporal;

/// <summary>The admin order tools' calls: mark-paid and refund as workflow updates (or a refund run), and the status query.</summary>
public sealed partial class OrderWorkflowClient
{
    /// <summary>How long the order detail waits for the run's <c>GetStatus</c> answer before it answers without it.</summary>
    public static readonly TimeSpan StatusQueryTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a mark-paid or refund waits for the order's workflow (a worker must run it) before the API answers 503.
    /// The request may still be applied once a worker takes it; repeating it with the same reference is safe.
    /// </summary>
    public static readonly TimeSpan AdminToolTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Asks the order's run to take a payment an admin verified; answers once the order is paid (or refused).</summary>
    public async Task<AdminToolResult> MarkPaidAsync(string orderId, ManualPaymentRequest request, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AdminToolTimeout);
        try
        {
            await client.GetWorkflowHandle<OrderFulfillmentWorkflow>(workflowId).ExecuteUpdateAsync(
                wf => wf.MarkPaidAsync(request), UpdateOptions(timeout.Token));
            return new AdminToolResult.Done();
        }
        catch (WorkflowUpdateFailedException ex) when (ex.InnerException is ApplicationFailureException refusal)
        {
            return new AdminToolResult.Refused(refusal.Message);
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            LogNotRunning(logger, "MarkPaid", orderId, workflowId);
            return new AdminToolResult.Refused($"Order {orderId} has no running fulfillment waiting for a payment.");
        }
        catch (Exception ex) when (TimedOut(ex, timeout, cancellationToken))
        {
            throw NoAnswer(workflowId, ex);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while marking {workflowId} paid.", ex);
        }
    }

    /// <summary>
    /// Records an admin's refund through the order's workflow: an update while its run is open, otherwise a short run
    /// of its own (<paramref name="refundRun"/>, the order's input with the refund) whose result is awaited.
    /// </summary>
    public async Task<AdminToolResult> RecordRefundAsync(
        string orderId, RefundRequest request, Func<Task<OrderFulfillmentInput>> refundRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refundRun);
        var workflowId = OrderIds.WorkflowId(orderId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AdminToolTimeout);
        cancellationToken = timeout.Token;
        try
        {
            // Twice at most: a run that was open when the update was refused as closed, or the other way round.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await client.GetWorkflowHandle<OrderFulfillmentWorkflow>(workflowId).ExecuteUpdateAsync(
                        wf => wf.RecordRefundAsync(request), UpdateOptions(cancellationToken));
                    return new AdminToolResult.Done();
                }
                catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
                {
                    // The usual case: the order's run has closed.
                }
                var input = await refundRun();
                var options = OrderFulfillmentStart.RefundOptions(input, temporal.Value.TaskQueue);
                options.Rpc = new RpcOptions { CancellationToken = cancellationToken };
                try
                {
                    await client.ExecuteWorkflowAsync((OrderFulfillmentWorkflow wf) => wf.RunAsync(input), options);
                    LogRefundRun(logger, orderId, workflowId);
                    return new AdminToolResult.Done();
                }
                catch (WorkflowAlreadyStartedException) when (attempt < 2)
                {
                    // A run of the order is open again (another refund, a restart): ask it instead.
                }
            }
        }
        catch (WorkflowUpdateFailedException ex) when (ex.InnerException is ApplicationFailureException refusal)
        {
            return new AdminToolResult.Refused(refusal.Message);
        }
        catch (WorkflowFailedException ex) when (ex.InnerException is ApplicationFailureException refusal)
        {
            return new AdminToolResult.Refused(refusal.Message);
        }
        catch (WorkflowAlreadyStartedException)
        {
            return new AdminToolResult.Refused($"Order {orderId} has a run that is starting or ending; try again.");
        }
        catch (Exception ex) when (TimedOut(ex, timeout, CancellationToken.None))
        {
            throw NoAnswer(workflowId, ex);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while recording the refund of {workflowId}.", ex);
        }
    }

    /// <summary>
    /// The run's <c>GetStatus</c> answer while it is open; otherwise null and why (closed, missing, no worker answered
    /// within <see cref="StatusQueryTimeout"/>, Temporal unavailable). Never throws for Temporal's sake.
    /// </summary>
    public async Task<WorkflowStatusAnswer> GetStatusAsync(string orderId, CancellationToken cancellationToken)
    {
        var handle = client.GetWorkflowHandle<OrderFulfillmentWorkflow>(OrderIds.WorkflowId(orderId));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StatusQueryTimeout);
        var rpc = new RpcOptions { CancellationToken = timeout.Token };
        try
        {
            var description = await handle.DescribeAsync(new WorkflowDescribeOptions { Rpc = rpc });
            if (description.Status != WorkflowExecutionStatus.Running)
            {
                return new WorkflowStatusAnswer(null, $"The order's latest run is closed ({StatusName(description.Status)}); the order is as the database shows it.");
            }
            return new WorkflowStatusAnswer(await handle.QueryAsync(wf => wf.GetStatus(), new WorkflowQueryOptions { Rpc = rpc }), null);
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            return new WorkflowStatusAnswer(null, "Temporal has no run of this order (never started, or past the namespace's retention).");
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                                   && ex is OperationCanceledException or RpcException)
        {
            return new WorkflowStatusAnswer(null, $"No worker answered the status query within {StatusQueryTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            return new WorkflowStatusAnswer(null, "Temporal is unavailable.");
        }
        catch (WorkflowQueryFailedException ex)
        {
            return new WorkflowStatusAnswer(null, $"The status query failed: {ex.Message}");
        }
    }

    private static bool TimedOut(Exception exception, CancellationTokenSource timeout, CancellationToken caller) =>
        timeout.IsCancellationRequested && !caller.IsCancellationRequested && exception is OperationCanceledException or RpcException;

    private static TemporalUnavailableException NoAnswer(string workflowId, Exception inner) =>
        new($"Workflow {workflowId} did not answer within {AdminToolTimeout.TotalSeconds:0} s (is a worker running?); " +
            "the request may still be applied: repeat it with the same reference to see the outcome.", inner);

    private static string StatusName(WorkflowExecutionStatus status) =>
        status.ToString().ToLowerInvariant();

    private static WorkflowUpdateOptions UpdateOptions(CancellationToken cancellationToken) =>
        new() { Rpc = new RpcOptions { CancellationToken = cancellationToken } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refund of order {OrderId} recorded by a refund run of workflow {WorkflowId}")]
    private static partial void LogRefundRun(ILogger logger, string orderId, string workflowId);
}
