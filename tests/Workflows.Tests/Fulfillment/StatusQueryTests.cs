using FlashFundX.TestSupport.Temporal;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using FlashFundX.Workflows.Orders;

namespace FlashFundX.Workflows.Tests.Fulfillment;

/// <summary>What ops and the API see of a running order: the GetStatus query, search attributes, summary.</summary>
[Collection(TemporalCollection.Name)]
public sealed class StatusQueryTests(TemporalTestEnvironment environment)
{
    [Fact]
    public async Task GetStatus_AwaitingPayment_AnswersInvoiceDeadlineAndPayment()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        var input = FulfillmentHarness.NewInput();
        await order.StartAsync(input);

        await order.SignalPaymentAsync("waiting");
        var status = await order.WaitForAsync(s => s.Stage == OrderStage.AwaitingPayment && s.PaymentStatus == PaymentStatus.Waiting, "awaiting payment, waiting");

        Assert.Equal(input.OrderId, status.OrderId);
        Assert.Equal(OrderStage.AwaitingPayment, status.Stage);
        Assert.Equal(OrderStatus.AwaitingPayment, status.OrderStatus);
        Assert.Equal(DeliveryStatus.Pending, status.DeliveryStatus);
        Assert.Equal($"inv-{input.OrderId}", status.InvoiceId);
        Assert.Equal($"https://pay.example/invoice/{input.OrderId}", status.InvoiceUrl);
        Assert.Equal("5077125051", status.PaymentId);
        Assert.Equal(0, status.Attempts);
        Assert.Null(status.LastError);
        Assert.Null(status.AccountId);
        var description = await order.Handle.DescribeAsync();
        Assert.Equal(description.StartTime + input.Settings.PaymentTimeout, status.PaymentDeadline!.Value, TimeSpan.FromSeconds(5));
        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("test over", "test")));
        await order.ResultAsync();
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Describe_CompletedOrder_SearchAttributesAndSummaryReadWell()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        order.Activities.AddStock(1501);
        var input = FulfillmentHarness.NewInput();
        await order.StartAsync(input);

        await order.SignalPaymentAsync("finished");
        await order.ResultAsync();
        var description = await order.Handle.DescribeAsync();
        var status = await order.StatusAsync();

        var attributes = description.TypedSearchAttributes;
        Assert.Equal(input.OrderId, attributes.Get(OrderSearchAttributes.OrderId));
        Assert.Equal("completed", attributes.Get(OrderSearchAttributes.Stage));
        Assert.Equal("finished", attributes.Get(OrderSearchAttributes.PaymentStatus));
        Assert.Equal("two_step", attributes.Get(OrderSearchAttributes.AccountType));
        Assert.Equal("mt5", attributes.Get(OrderSearchAttributes.Platform));
        Assert.Equal(OrderSummary.For(input), await description.GetStaticSummaryAsync());
        Assert.Equal(OrderStage.Completed, status.Stage);
        Assert.Equal(1501, status.AccountId);
        Assert.Equal(1, status.Attempts);
        await order.ReplayAsync();
    }

    [Fact]
    public async Task Start_SameOrderTwice_SecondStartRejected()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        var input = FulfillmentHarness.NewInput();
        await order.StartAsync(input);

        var second = () => order.Client.StartWorkflowAsync(
            (OrderFulfillmentWorkflow wf) => wf.RunAsync(input),
            OrderFulfillmentStart.Options(input, TemporalTestEnvironment.NewTaskQueue()));

        await Assert.ThrowsAsync<Temporalio.Exceptions.WorkflowAlreadyStartedException>(second);
        await order.Handle.SignalAsync(wf => wf.CancelAsync(new CancelOrderRequest("test over", "test")));
        await order.ResultAsync();
    }

    [Fact]
    public async Task Run_PaymentSignalBeforeFirstTask_HandledAndDelivered()
    {
        await using var order = new FulfillmentHarness(environment, WorkerCache.Cached);
        order.Activities.AddStock(1601);
        var input = FulfillmentHarness.NewInput();
        var options = OrderFulfillmentStart.Options(input, order.TaskQueue);
        var paid = new PaymentUpdates([new PaymentUpdate("5077125051", "finished", 99m, "usd", 99m, "usdtbsc")]);
        options.SignalWithStart((OrderFulfillmentWorkflow wf) => wf.PaymentStatusesChangedAsync(paid));

        await order.StartAsync(input, options);
        var result = await order.ResultAsync();

        Assert.Equal(OrderStage.Completed, result.Stage);
        Assert.Single(order.Activities.Deliveries);
        await order.ReplayAsync();
    }
}
