using System.Reflection;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Orders;
using Temporalio.Common;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Tests.Orders;

public sealed class FulfillmentActivityOptionsTests
{
    public static TheoryData<string> OptionNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in typeof(FulfillmentActivityOptions).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            data.Add(field.Name);
        }
        return data;
    }

    private static (TimeSpan? StartToClose, TimeSpan? ScheduleToClose, RetryPolicy? Retry) Limits(string name) =>
        typeof(FulfillmentActivityOptions).GetField(name)!.GetValue(null) switch
        {
            ActivityOptions a => (a.StartToCloseTimeout, a.ScheduleToCloseTimeout, a.RetryPolicy),
            LocalActivityOptions l => (l.StartToCloseTimeout, l.ScheduleToCloseTimeout, l.RetryPolicy),
            var other => throw new InvalidOperationException($"{name} is a {other?.GetType().Name}, not activity options"),
        };

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void Options_Each_HasBothTimeoutsAndNonRetryableErrors(string name)
    {
        var (startToClose, scheduleToClose, retry) = Limits(name);

        Assert.NotNull(startToClose);
        Assert.NotNull(scheduleToClose);
        Assert.True(scheduleToClose > startToClose);
        Assert.NotNull(retry);
        Assert.NotEmpty(retry.NonRetryableErrorTypes!);
    }

    [Fact]
    public void Delivery_MissingRules_NotRetried()
    {
        var options = FulfillmentActivityOptions.Delivery;

        Assert.Contains(ActivityErrors.TradingRulesMissing, options.RetryPolicy!.NonRetryableErrorTypes!);
    }

    [Fact]
    public void WithSummary_SharedOptions_CopiedNotChanged()
    {
        var summarised = FulfillmentActivityOptions.Invoice.WithSummary("Create invoice");

        Assert.Equal("Create invoice", summarised.Summary);
        Assert.Null(FulfillmentActivityOptions.Invoice.Summary);
        Assert.Equal(FulfillmentActivityOptions.Invoice.StartToCloseTimeout, summarised.StartToCloseTimeout);
    }
}
