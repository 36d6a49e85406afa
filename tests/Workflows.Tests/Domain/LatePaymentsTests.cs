using FlashFundX.Workflows.Contracts;
using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Domain;

public sealed class LatePaymentsTests
{
    private const decimal Price = 99m;
    private const string Currency = "usd";
    private const string PaymentId = "5077125051";

    private static LatePaymentEffect Evaluate(PaymentState current, bool paid, string status, decimal? amount = Price, string? parent = null) =>
        LatePayments.Evaluate(
            current, paid, new PaymentUpdate(PaymentId, status, amount, Currency, 0.5m, "usdtbsc", parent),
            Price, Currency, PaymentTransitions.DefaultPaidStatuses);

    private static PaymentState Paid(PaymentStatus status) => new(status, PaymentOutcome.Paid, PaymentId, 0.5m);

    private static PaymentState Unpaid(PaymentStatus status, PaymentOutcome outcome = PaymentOutcome.Open) => new(status, outcome, null, null);

    [Theory]
    [InlineData(PaymentStatus.Confirmed, "sending", PaymentStatus.Sending)]
    [InlineData(PaymentStatus.Confirmed, "finished", PaymentStatus.Finished)]
    [InlineData(PaymentStatus.Sending, "finished", PaymentStatus.Finished)]
    public void PaidOrder_LaterPaidStatus_MovesForward_NoRefund(PaymentStatus current, string reported, PaymentStatus expected)
    {
        var effect = Evaluate(Paid(current), paid: true, reported);

        Assert.Equal((expected, PaymentOutcome.Paid, false), (effect.Next.Status, effect.Next.Outcome, effect.RefundRequired));
    }

    [Theory]
    [InlineData(PaymentStatus.Finished, "confirmed")]
    [InlineData(PaymentStatus.Finished, "sending")]
    [InlineData(PaymentStatus.Confirmed, "refunded")]
    [InlineData(PaymentStatus.Confirmed, "failed")]
    [InlineData(PaymentStatus.Confirmed, "waiting")]
    [InlineData(PaymentStatus.Confirmed, "not_a_status")]
    public void PaidOrder_EarlierOrUnpaidStatus_ChangesNothing(PaymentStatus current, string reported)
    {
        var state = Paid(current);

        Assert.Equal(new LatePaymentEffect(state, false), Evaluate(state, paid: true, reported));
    }

    [Theory]
    [InlineData("confirmed", PaymentStatus.Confirmed)]
    [InlineData("finished", PaymentStatus.Finished)]
    public void OrderEndedUnpaid_PaidStatus_RecordedAndRefundRequired(string reported, PaymentStatus expected)
    {
        var effect = Evaluate(Unpaid(PaymentStatus.Waiting), paid: false, reported);

        Assert.True(effect.RefundRequired);
        Assert.Equal((expected, PaymentOutcome.Paid, PaymentId), (effect.Next.Status, effect.Next.Outcome, effect.Next.PaymentId));
    }

    [Fact]
    public void OrderEndedWithProviderExpiry_PaidAnyway_RefundRequired()
    {
        var effect = Evaluate(Unpaid(PaymentStatus.Expired, PaymentOutcome.Unpaid), paid: false, "finished");

        Assert.True(effect.RefundRequired);
        Assert.Equal(PaymentStatus.Finished, effect.Next.Status);
    }

    [Fact]
    public void OrderEndedUnpaid_WrongAmount_AmountMismatchAndRefundRequired()
    {
        var effect = Evaluate(Unpaid(PaymentStatus.Pending), paid: false, "finished", amount: 10m);

        Assert.True(effect.RefundRequired);
        Assert.Equal(PaymentStatus.AmountMismatch, effect.Next.Status);
    }

    [Fact]
    public void OrderAlreadyFlaggedForMismatch_SameMismatchAgain_ChangesNothing()
    {
        var state = Unpaid(PaymentStatus.AmountMismatch, PaymentOutcome.AmountMismatch);

        Assert.Equal(new LatePaymentEffect(state, false), Evaluate(state, paid: false, "finished", amount: 10m));
    }

    [Fact]
    public void OrderEndedUnpaid_ProgressWithoutMoney_MovesStatusOnly()
    {
        var effect = Evaluate(Unpaid(PaymentStatus.Waiting), paid: false, "confirming");

        Assert.Equal((PaymentStatus.Confirming, PaymentOutcome.Open, false), (effect.Next.Status, effect.Next.Outcome, effect.RefundRequired));
    }

    [Theory]
    [InlineData("waiting")]
    [InlineData("confirming")]
    [InlineData("partially_paid")]
    public void OrderEndedByProvider_NonPaidReport_ChangesNothing(string reported)
    {
        var state = Unpaid(PaymentStatus.Expired, PaymentOutcome.Unpaid);

        Assert.Equal(new LatePaymentEffect(state, false), Evaluate(state, paid: false, reported));
    }

    [Fact]
    public void OrderEndedUnpaid_ProviderRefunds_StatusShowsRefunded_NoRefundFlag()
    {
        var effect = Evaluate(Unpaid(PaymentStatus.Expired, PaymentOutcome.Unpaid), paid: false, "refunded");

        Assert.Equal((PaymentStatus.Refunded, PaymentOutcome.Unpaid, false), (effect.Next.Status, effect.Next.Outcome, effect.RefundRequired));
    }

    [Fact]
    public void RepeatDeposit_ChangesNothing()
    {
        var state = Unpaid(PaymentStatus.Waiting);

        Assert.Equal(new LatePaymentEffect(state, false), Evaluate(state, paid: false, "finished", parent: "5077125000"));
    }
}
