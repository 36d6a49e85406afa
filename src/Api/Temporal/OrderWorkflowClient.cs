using FlashFundX.ServiceDefaults.Configuration;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;
using Microsoft.Extensions.Options;
using Temporalio.Api.Enums.V1;
using Temporalio.Client;
using Temporalio.Common;
using Temporalio.Exceptions;

namespace FlashFundX.Api.Temporal;

/// <summary>
/// The API's only way to talk to order workflows: start (one run per order id), signals, and the payment-check update. Signals go to the
/// existing run only — never signal-with-start — so a finished order is never restarted.
/// </summary>
public sealed partial class OrderWorkflowClient(
    ITemporalClient client,
    IOptions<TemporalSettings> temporal,
    ILogger<OrderWorkflowClient> logger)
{
    /// <summary>Starts the order's workflow; false when a run with its id already exists (a retried request).</summary>
    public Task<bool> StartAsync(OrderFulfillmentInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return StartAsync(input, OrderFulfillmentStart.Options(input, temporal.Value.TaskQueue), cancellationToken);
    }

    /// <summary>
    /// Starts the order's run again from its recorded state (<see cref="OrderFulfillmentStart.RestartOptions"/>); false
    /// when a run exists that the policy does not let it replace (an open one, or any when not <paramref name="replaceClosedRun"/>).
    /// </summary>
    public Task<bool> RestartAsync(OrderFulfillmentInput input, bool replaceClosedRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return StartAsync(input, OrderFulfillmentStart.RestartOptions(input, temporal.Value.TaskQueue, replaceClosedRun), cancellationToken);
    }

    private async Task<bool> StartAsync(OrderFulfillmentInput input, WorkflowOptions options, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(input.OrderId);
        options.Rpc = new RpcOptions { CancellationToken = cancellationToken };
        try
        {
            await client.StartWorkflowAsync((OrderFulfillmentWorkflow wf) => wf.RunAsync(input), options);
            LogStarted(logger, input.OrderId, workflowId);
            return true;
        }
        catch (WorkflowAlreadyStartedException)
        {
            LogAlreadyStarted(logger, input.OrderId, workflowId);
            return false;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while starting workflow {workflowId}.", ex);
        }
    }

    /// <summary>The status of the order's latest run (a run continued as new is seen as its successor); null when Temporal has none.</summary>
    public async Task<WorkflowExecutionStatus?> DescribeStatusAsync(string orderId, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        try
        {
            var description = await client.GetWorkflowHandle(workflowId).DescribeAsync(
                new WorkflowDescribeOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
            return description.Status;
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while describing workflow {workflowId}.", ex);
        }
    }

    /// <summary>
    /// Connection refused surfaces from the SDK's lazy connection as <see cref="InvalidOperationException"/>
    /// ("Connection failed: …"); an overloaded or restarting server as an unavailable-class <see cref="RpcException"/>.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception switch
    {
        TemporalUnavailableException => true,
        RpcException rpc => rpc.Code is RpcException.StatusCode.Unavailable
            or RpcException.StatusCode.DeadlineExceeded
            or RpcException.StatusCode.ResourceExhausted
            or RpcException.StatusCode.Aborted,
        InvalidOperationException invalid => invalid.Message.StartsWith("Connection failed", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Payment reports for the order, in the order they were received, as one signal.</summary>
    public Task<SignalResult> PaymentStatusesChangedAsync(string orderId, IReadOnlyList<PaymentUpdate> updates, CancellationToken cancellationToken) =>
        SignalAsync(orderId, "PaymentStatusesChanged",
            handle => handle.SignalAsync(wf => wf.PaymentStatusesChangedAsync(new PaymentUpdates(updates)), Options(cancellationToken)));

    public Task<SignalResult> InventoryRestockedAsync(string orderId, CancellationToken cancellationToken) =>
        SignalAsync(orderId, "InventoryRestocked", handle => handle.SignalAsync(wf => wf.InventoryRestockedAsync(), Options(cancellationToken)));

    public Task<SignalResult> CancelAsync(string orderId, CancelOrderRequest request, CancellationToken cancellationToken) =>
        SignalAsync(orderId, "Cancel", handle => handle.SignalAsync(wf => wf.CancelAsync(request), Options(cancellationToken)));

    /// <summary>
    /// Asks the order's run to look its payment up now (a workflow update: the run's validator refuses a check it
    /// cannot use before anything is written, and the answer comes once the lookup is recorded).
    /// </summary>
    public async Task<PaymentCheckResult> CheckPaymentAsync(string orderId, CancellationToken cancellationToken)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        try
        {
            await client.GetWorkflowHandle<OrderFulfillmentWorkflow>(workflowId).ExecuteUpdateAsync(
                wf => wf.CheckPaymentNowAsync(), new WorkflowUpdateOptions { Rpc = new RpcOptions { CancellationToken = cancellationToken } });
            LogPaymentChecked(logger, orderId, workflowId);
            return new PaymentCheckResult.Checked();
        }
        catch (WorkflowUpdateFailedException ex) when (ex.InnerException is ApplicationFailureException refusal)
        {
            return refusal.ErrorType == PaymentCheckRefusals.TooSoon
                ? new PaymentCheckResult.TooSoon(refusal.Details.Count > 0 ? refusal.Details.ElementAt<int>(0) : 1, refusal.Message)
                : new PaymentCheckResult.NotApplicable(refusal.Message);
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            LogNotRunning(logger, "CheckPaymentNow", orderId, workflowId);
            return new PaymentCheckResult.NotApplicable($"Order {orderId} is no longer waiting for a payment.");
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while checking the payment of {workflowId}.", ex);
        }
    }

    private async Task<SignalResult> SignalAsync(
        string orderId, string signal, Func<WorkflowHandle<OrderFulfillmentWorkflow>, Task> send)
    {
        var workflowId = OrderIds.WorkflowId(orderId);
        try
        {
            await send(client.GetWorkflowHandle<OrderFulfillmentWorkflow>(workflowId));
            LogSignalled(logger, signal, orderId, workflowId);
            return SignalResult.Delivered;
        }
        catch (RpcException ex) when (ex.Code == RpcException.StatusCode.NotFound)
        {
            // "workflow execution already completed" and "workflow not found" both arrive as NotFound.
            LogNotRunning(logger, signal, orderId, workflowId);
            return SignalResult.WorkflowNotRunning;
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            throw new TemporalUnavailableException($"Temporal unavailable while sending {signal} to {workflowId}.", ex);
        }
    }

    private static WorkflowSignalOptions Options(CancellationToken cancellationToken) =>
        new() { Rpc = new RpcOptions { CancellationToken = cancellationToken } };

    [LoggerMessage(Level = LogLevel.Information, Message = "Started fulfillment of order {OrderId} as workflow {WorkflowId}")]
    private static partial void LogStarted(ILogger logger, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workflow {WorkflowId} of order {OrderId} already exists; not started again")]
    private static partial void LogAlreadyStarted(ILogger logger, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {Signal} to order {OrderId} workflow {WorkflowId}")]
    private static partial void LogSignalled(ILogger logger, string signal, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Payment of order {OrderId} checked by workflow {WorkflowId} on its owner's request")]
    private static partial void LogPaymentChecked(ILogger logger, string orderId, string workflowId);

    [LoggerMessage(Level = LogLevel.Information, Message = "No running workflow {WorkflowId} for {Signal} to order {OrderId}")]
    private static partial void LogNotRunning(ILogger logger, string signal, string orderId, string workflowId);
}
