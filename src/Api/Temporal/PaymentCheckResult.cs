namespace FlashFundX.Api.Temporal;

/// <summary>What the order's workflow made of a payment check (<see cref="OrderWorkflowClient.CheckPaymentAsync"/>).</summary>
public abstract record PaymentCheckResult
{
    private PaymentCheckResult()
    {
    }

    /// <summary>The provider was asked and what it said is recorded.</summary>
    public sealed record Checked : PaymentCheckResult;

    /// <summary>The previous check was too recent; ask again after <paramref name="RetryAfterSeconds"/>.</summary>
    public sealed record TooSoon(int RetryAfterSeconds, string Detail) : PaymentCheckResult;

    /// <summary>The order cannot use a check now (not waiting for a payment, nothing to look up, or its run has ended).</summary>
    public sealed record NotApplicable(string Detail) : PaymentCheckResult;
}
