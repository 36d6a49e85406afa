using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Domain;

public sealed class PaymentTransitionsTests
{
    private const decimal Price = 99m;
    private const string Currency = "usd";

    private static PaymentState Apply(PaymentState state, string status, decimal? amount = Price, string? currency = Currency, string? parent = null, decimal? actuallyPaid = null) =>
        PaymentTransitions.Apply(state, Update(status, amount, currency, parent, actuallyPaid), Price, Currency, PaymentTransitions.DefaultPaidStatuses);

    private static PaymentUpdate Update(string status, decimal? amount = Price, string? currency = Currency, string? parent = null, decimal? actuallyPaid = null) =>
        new("5077125051", status, amount, currency, actuallyPaid, "usdtbsc", parent);

    private static PaymentState ApplyAll(params string[] statuses) =>
        statuses.Aggregate(PaymentState.Initial, (state, status) => Apply(state, status));

    [Theory]
    [InlineData("confirmed", PaymentStatus.Confirmed)]
    [InlineData("sending", PaymentStatus.Sending)]
    [InlineData("finished", PaymentStatus.Finished)]
    public void Apply_PaidStatusWithMatchingAmount_Paid(string status, PaymentStatus expected)
    {
        var state = Apply(PaymentState.Initial, status);

        Assert.Equal(PaymentOutcome.Paid, state.Outcome);
        Assert.Equal(expected, state.Status);
        Assert.Equal("5077125051", state.PaymentId);
    }

    [Fact]
    public void Apply_AfterPaid_ForwardReportTakesItsAmount_OlderOneKeepsIt()
    {
        var confirmed = Apply(PaymentState.Initial, "confirmed", actuallyPaid: 0.0120m);

        var finished = Apply(confirmed, "finished", actuallyPaid: 0.0123m);
        var olderAfterwards = Apply(finished, "sending", actuallyPaid: 0.0121m);

        Assert.Equal(0.0123m, finished.ActuallyPaid);
        Assert.Equal(finished, olderAfterwards);
    }

    [Theory]
    [InlineData("waiting")]
    [InlineData("confirming")]
    [InlineData("failed")]
    [InlineData("expired")]
    [InlineData("refunded")]
    [InlineData("partially_paid")]
    [InlineData("amount_mismatch")]
    [InlineData("no_such_status")]
    public void Apply_AnyReportAfterPaid_NeverLeavesPaid(string status)
    {
        var paid = Apply(PaymentState.Initial, "finished");

        var after = Apply(paid, status);

        Assert.Equal(paid, after);
    }

    [Fact]
    public void Apply_ConfirmedThenFinished_MovesForwardAndStaysPaid()
    {
        var state = ApplyAll("confirmed", "finished");

        Assert.Equal(PaymentOutcome.Paid, state.Outcome);
        Assert.Equal(PaymentStatus.Finished, state.Status);
    }

    [Fact]
    public void Apply_FinishedThenConfirmed_KeepsFinished()
    {
        var state = ApplyAll("finished", "confirmed");

        Assert.Equal(PaymentStatus.Finished, state.Status);
    }

    [Fact]
    public void Apply_DuplicateReports_ChangeNothing()
    {
        var once = ApplyAll("waiting", "confirming");

        var repeated = Apply(Apply(once, "confirming"), "confirming");

        Assert.Equal(once, repeated);
    }

    [Fact]
    public void Apply_FinishedThenWaitingOutOfOrder_StaysPaid()
    {
        var state = ApplyAll("finished", "waiting");

        Assert.Equal(PaymentOutcome.Paid, state.Outcome);
        Assert.Equal(PaymentStatus.Finished, state.Status);
    }

    [Fact]
    public void Apply_ConfirmingThenWaitingOutOfOrder_KeepsConfirming()
    {
        var state = ApplyAll("confirming", "waiting");

        Assert.Equal(PaymentStatus.Confirming, state.Status);
        Assert.Equal(PaymentOutcome.Open, state.Outcome);
    }

    [Fact]
    public void Apply_PartiallyPaid_StaysOpenAndVisible()
    {
        var state = Apply(PaymentState.Initial, "partially_paid", actuallyPaid: 40m);

        Assert.Equal(PaymentStatus.PartiallyPaid, state.Status);
        Assert.Equal(PaymentOutcome.Open, state.Outcome);
        Assert.Equal(40m, state.ActuallyPaid);
    }

    [Fact]
    public void Apply_PartiallyPaidThenFinished_Paid()
    {
        var partial = Apply(PaymentState.Initial, "partially_paid", actuallyPaid: 40m);

        var state = Apply(partial, "finished", actuallyPaid: 99m);

        Assert.Equal(PaymentOutcome.Paid, state.Outcome);
        Assert.Equal(PaymentStatus.Finished, state.Status);
    }

    [Theory]
    [InlineData(98.99)]
    [InlineData(990)]
    public void Apply_PaidWithOtherAmount_AmountMismatch(double amount)
    {
        var state = Apply(PaymentState.Initial, "finished", amount: (decimal)amount);

        Assert.Equal(PaymentOutcome.AmountMismatch, state.Outcome);
        Assert.Equal(PaymentStatus.AmountMismatch, state.Status);
    }

    [Fact]
    public void Apply_PaidWithoutAmount_AmountMismatch()
    {
        var state = Apply(PaymentState.Initial, "finished", amount: null);

        Assert.Equal(PaymentOutcome.AmountMismatch, state.Outcome);
    }

    [Theory]
    [InlineData("eur")]
    [InlineData(null)]
    public void Apply_PaidInOtherCurrency_AmountMismatch(string? currency)
    {
        var state = Apply(PaymentState.Initial, "finished", currency: currency);

        Assert.Equal(PaymentOutcome.AmountMismatch, state.Outcome);
    }

    [Fact]
    public void Apply_CurrencyInOtherCase_Paid()
    {
        var state = Apply(PaymentState.Initial, "finished", currency: "USD");

        Assert.Equal(PaymentOutcome.Paid, state.Outcome);
    }

    [Fact]
    public void Apply_AmountMismatchThenMatchingFinished_StaysMismatch()
    {
        var mismatch = Apply(PaymentState.Initial, "finished", amount: 1m);

        var state = Apply(mismatch, "finished");

        Assert.Equal(PaymentOutcome.AmountMismatch, state.Outcome);
    }

    [Fact]
    public void Apply_RepeatDepositWithParentPaymentId_Ignored()
    {
        var waiting = Apply(PaymentState.Initial, "waiting");

        var state = Apply(waiting, "finished", parent: "5077125050");

        Assert.Equal(waiting, state);
    }

    [Fact]
    public void Apply_RepeatDepositAfterPaid_Ignored()
    {
        var paid = Apply(PaymentState.Initial, "finished");

        var state = Apply(paid, "finished", amount: 198m, parent: "5077125051");

        Assert.Equal(paid, state);
    }

    [Theory]
    [InlineData("failed", PaymentStatus.Failed)]
    [InlineData("expired", PaymentStatus.Expired)]
    [InlineData("refunded", PaymentStatus.Refunded)]
    public void Apply_ProviderGaveUp_EndsUnpaid(string status, PaymentStatus expected)
    {
        var waiting = Apply(PaymentState.Initial, "waiting");

        var state = Apply(waiting, status);

        Assert.Equal(PaymentOutcome.Unpaid, state.Outcome);
        Assert.Equal(expected, state.Status);
    }

    [Fact]
    public void Apply_FinishedAfterFailed_StaysUnpaid()
    {
        var state = ApplyAll("failed", "finished");

        Assert.Equal(PaymentOutcome.Unpaid, state.Outcome);
        Assert.Equal(PaymentStatus.Failed, state.Status);
    }

    [Fact]
    public void Apply_UnknownStatus_ChangesNothing()
    {
        var waiting = Apply(PaymentState.Initial, "waiting");

        var state = Apply(waiting, "teleported");

        Assert.Equal(waiting, state);
    }

    [Fact]
    public void Apply_FirstReport_LearnsPaymentId()
    {
        var state = Apply(PaymentState.Initial, "waiting");

        Assert.Equal("5077125051", state.PaymentId);
        Assert.Equal(PaymentStatus.Waiting, state.Status);
    }

    [Fact]
    public void Apply_ConfiguredPaidStatuses_ConfirmedNotPaidWhenOnlyFinishedCounts()
    {
        var state = PaymentTransitions.Apply(PaymentState.Initial, Update("confirmed"), Price, Currency, ["finished"]);

        Assert.Equal(PaymentOutcome.Open, state.Outcome);
        Assert.Equal(PaymentStatus.Confirmed, state.Status);
    }
}
