using FlashFundX.TestSupport.Metrics;
using FlashFundX.Activities.Orders;
using FlashFundX.Activities.Tests.Support;
using FlashFundX.TestSupport.Postgres;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;
using Microsoft.Extensions.Logging.Abstractions;
using Temporalio.Exceptions;

namespace FlashFundX.Activities.Tests;

[Collection(PostgresTests.Collection)]
public sealed class OrderActivitiesTests(PostgresFixture postgres) : DatabaseTestBase(postgres)
{
    private OrderActivities Activities => new(Database.DataSource, TestMetrics.Instance, NullLogger<OrderActivities>.Instance);

    [Fact]
    public async Task SyncOrder_PaidThenLaterStages_SetsPaidAtOnce()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var paid = new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Finished, DeliveryStatus.Pending);

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(paid)));
        var firstPaidAt = await Scenario.ScalarAsync<DateTime>("SELECT paid_at FROM orders WHERE order_id = @orderId", new { orderId });
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(paid)));
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(
            paid with { Stage = OrderStage.WaitingInventory, OrderStatus = OrderStatus.Fulfilling, DeliveryStatus = DeliveryStatus.WaitingInventory })));

        // The later write is stamped after the first one: paid_at stayed where the first write set it.
        Assert.Equal("waiting_inventory|true", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, (updated_at > paid_at)::text) FROM orders WHERE order_id = @orderId", new { orderId }));
        Assert.Equal(firstPaidAt, await Scenario.ScalarAsync<DateTime>("SELECT paid_at FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task SyncOrder_PaymentDeadline_FirstOneKept()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var first = new DateTime(2026, 12, 8, 10, 30, 15, 123, DateTimeKind.Utc);
        var waiting = new OrderStateChange(orderId, OrderStage.AwaitingPayment, OrderStatus.AwaitingPayment, PaymentStatus.Pending, DeliveryStatus.Pending)
        {
            PaymentDeadline = first,
        };

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(waiting)));
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(waiting with { PaymentStatus = PaymentStatus.Waiting, PaymentDeadline = first.AddDays(1) })));
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(waiting with { PaymentStatus = PaymentStatus.Confirming, PaymentDeadline = null })));

        Assert.Equal(first, await Scenario.ScalarAsync<DateTime>("SELECT payment_deadline FROM orders WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("confirming", await Scenario.ScalarAsync<string>("SELECT payment_status FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task SyncOrder_ConcurrentCopies_EndInTheGivenState()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var change = new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Confirmed, DeliveryStatus.Pending);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => InActivity.RunAsync(() => Activities.SyncOrderAsync(StateOnly(change)))));

        Assert.Equal("paid|confirmed", await Scenario.ScalarAsync<string>(
            "SELECT order_status || '|' || payment_status FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task SyncOrder_PaymentsThenState_WritesBothInOneTransaction()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var sync = new OrderSync(orderId, [Payment(orderId, "confirming", PaymentStatus.Confirming), Payment(orderId, "finished", PaymentStatus.Finished)],
            new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Confirmed, DeliveryStatus.Pending, "paid"));

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(sync));

        Assert.Equal("confirming,finished", await Scenario.ScalarAsync<string>(
            "SELECT string_agg(provider_status, ',' ORDER BY id) FROM payment_transactions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("paid|paid|confirmed|5001|89.50000000|paid|false", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, order_status, payment_status, payment_id, actually_paid, status_note, (paid_at IS NULL)::text) FROM orders WHERE order_id = @orderId",
            new { orderId }));
        Assert.Equal(1, await Scenario.ScalarAsync<long>(
            """
            SELECT count(DISTINCT xmin::text)
              FROM (SELECT xmin FROM payment_transactions WHERE order_id = @orderId UNION ALL SELECT xmin FROM orders WHERE order_id = @orderId) written
            """, new { orderId }));
    }

    [Fact]
    public async Task SyncOrder_RunTwice_WritesSameRows()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var sync = new OrderSync(orderId, [Payment(orderId, "finished", PaymentStatus.Finished)],
            new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Finished, DeliveryStatus.Pending));

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(sync));
        var first = await RowsAsync(orderId);
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(sync));

        Assert.Equal(first, await RowsAsync(orderId));
        Assert.Equal(1, await Scenario.ScalarAsync<long>("SELECT count(*) FROM payment_transactions"));
    }

    [Fact]
    public async Task SyncOrder_PaymentsOnly_RecordedAndARepeatDepositIsNotTheOrdersPayment()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var repeat = new RecordPaymentInput(orderId,
            new PaymentUpdate("5002", "finished", 89m, "usd", 10m, ParentPaymentId: "5001", Source: "poll"), PaymentStatus.Finished);

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync(orderId, [Payment(orderId, "finished", PaymentStatus.Finished), repeat], null)));

        Assert.Equal("ipn|5001,poll|5002", await Scenario.ScalarAsync<string>(
            "SELECT string_agg(source || '|' || payment_id, ',' ORDER BY id) FROM payment_transactions WHERE order_id = @orderId", new { orderId }));
        Assert.Equal("created|finished|5001|89.50000000", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, payment_status, payment_id, actually_paid) FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SyncOrder_SeveralReports_LeavesTheOrderAsOneAtATimeWouldWritingItOnce(bool withState)
    {
        var user = await Scenario.CreateUserAsync();
        var together = await Scenario.CreateOrderAsync(user, paid: false);
        var oneByOne = await Scenario.CreateOrderAsync(user, paid: false);
        OrderStateChange? State(string orderId) => withState
            ? new OrderStateChange(orderId, OrderStage.AwaitingPayment, OrderStatus.AwaitingPayment, PaymentStatus.Confirming, DeliveryStatus.Pending, "waiting")
            : null;
        var eventsBefore = await EventsAsync(together);

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync(together, Reports(together), State(together))));
        foreach (var report in Reports(oneByOne))
        {
            await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync(oneByOne, [report], null)));
        }
        if (State(oneByOne) is { } state)
        {
            await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync(oneByOne, [], state)));
        }

        Assert.Equal(await OrderColumnsAsync(oneByOne), await OrderColumnsAsync(together));
        Assert.Equal("waiting,partially_paid,finished,confirming", await Scenario.ScalarAsync<string>(
            "SELECT string_agg(provider_status, ',' ORDER BY id) FROM payment_transactions WHERE order_id = @together", new { together }));
        Assert.Equal(eventsBefore + 1, await EventsAsync(together));

        // Amounts missing from later reports keep the last one given; a repeat deposit never becomes the order's payment.
        static RecordPaymentInput[] Reports(string orderId) =>
        [
            new(orderId, new PaymentUpdate("5001", "waiting", 89m, "usd", PayCurrency: "usdttrc20"), PaymentStatus.Waiting),
            new(orderId, new PaymentUpdate("5001", "partially_paid", 89m, "usd", 40m, "usdttrc20"), PaymentStatus.PartiallyPaid),
            new(orderId, new PaymentUpdate("5002", "finished", 89m, "usd", 10m, ParentPaymentId: "5001", Source: "poll"), PaymentStatus.PartiallyPaid),
            new(orderId, new PaymentUpdate("5001", "confirming", 89m, "usd", PayCurrency: "usdttrc20"), PaymentStatus.Confirming),
        ];
    }

    [Fact]
    public async Task SyncOrder_StateWriteFails_RollsBackThePayments()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        await Scenario.ExecuteAsync(
            """
            CREATE FUNCTION refuse_cancel() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no cancel'; END; $$;
            CREATE TRIGGER refuse_cancel BEFORE UPDATE ON orders FOR EACH ROW WHEN (NEW.stage = 'cancelled') EXECUTE FUNCTION refuse_cancel();
            """);
        var sync = new OrderSync(orderId, [Payment(orderId, "finished", PaymentStatus.Finished)],
            new OrderStateChange(orderId, OrderStage.Cancelled, OrderStatus.Cancelled, PaymentStatus.Finished, DeliveryStatus.Pending));

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => InActivity.RunAsync(() => Activities.SyncOrderAsync(sync)));

        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM payment_transactions"));
        Assert.Equal("created|pending|true", await Scenario.ScalarAsync<string>(
            "SELECT concat_ws('|', stage, payment_status, (payment_id IS NULL)::text) FROM orders WHERE order_id = @orderId", new { orderId }));
    }

    [Fact]
    public async Task SyncOrder_UnknownOrder_FailsWithoutRetryAndWritesNothing()
    {
        const string orderId = "FFX999999999";
        var sync = new OrderSync(orderId, [Payment(orderId, "finished", PaymentStatus.Finished)],
            new OrderStateChange(orderId, OrderStage.Paid, OrderStatus.Paid, PaymentStatus.Finished, DeliveryStatus.Pending));

        var failure = await Assert.ThrowsAsync<ApplicationFailureException>(() => InActivity.RunAsync(() => Activities.SyncOrderAsync(sync)));

        Assert.Equal(ActivityErrors.OrderNotFound, failure.ErrorType);
        Assert.True(failure.NonRetryable);
        Assert.Equal(0, await Scenario.ScalarAsync<long>("SELECT count(*) FROM payment_transactions"));
    }

    [Fact]
    public async Task SyncOrder_NothingToSync_DoesNothing()
    {
        var orderId = await Scenario.CreateOrderAsync(await Scenario.CreateUserAsync(), paid: false);
        var before = await RowsAsync(orderId);

        await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync(orderId, [], null)));
        await InActivity.RunAsync(() => Activities.SyncOrderAsync(new OrderSync("FFX999999999", [], null)));

        Assert.Equal(before, await RowsAsync(orderId));
    }

    private static OrderSync StateOnly(OrderStateChange change) => new(change.OrderId, [], change);

    private static RecordPaymentInput Payment(string orderId, string providerStatus, PaymentStatus evaluated) =>
        new(orderId, new PaymentUpdate("5001", providerStatus, 89m, "usd", 89.5m, "usdttrc20"), evaluated);

    private Task<string> OrderColumnsAsync(string orderId) => Scenario.ScalarAsync<string>(
        "SELECT concat_ws('|', stage, order_status, payment_status, payment_id, actually_paid, status_note) FROM orders WHERE order_id = @orderId",
        new { orderId });

    private Task<long> EventsAsync(string orderId) =>
        Scenario.ScalarAsync<long>("SELECT count(*) FROM order_events WHERE order_id = @orderId", new { orderId });

    /// <summary>The order's row and its payment rows, as text, with the columns a repeat must leave alone.</summary>
    private Task<string> RowsAsync(string orderId) => Scenario.ScalarAsync<string>(
        """
        SELECT concat_ws('|', o.stage, o.order_status, o.payment_status, o.payment_id, o.actually_paid, o.paid_at,
                         (SELECT string_agg(concat_ws(',', t.id, t.provider_status, t.evaluated_status, t.created_at), ';' ORDER BY t.id)
                            FROM payment_transactions t WHERE t.order_id = o.order_id))
          FROM orders o
         WHERE o.order_id = @orderId
        """, new { orderId });
}
