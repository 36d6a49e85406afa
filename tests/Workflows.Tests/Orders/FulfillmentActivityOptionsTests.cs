using System.Reflection;
using FlashFundX.Workflows.Activities;
using FlashFundX.Workflows.Orders;
using Temporalio.Workflows;

namespace FlashFundX.Workflows.Tests.Orders;

public sealed class FulfillmentActivityOptionsTests
{
    public static TheoryData<string> OptionNames()
    {
        var data = new TheoryData<string>();
        foreach (var field in OptionFields())
        {
            data.Add(field.Name);
        }
        return data;
    }

    private static IEnumerable<FieldInfo> OptionFields() =>
        typeof(FulfillmentActivityOptions).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ActivityOptions));

    private static ActivityOptions Option(string name) =>
        (ActivityOptions)typeof(FulfillmentActivityOptions).GetField(name)!.GetValue(null)!;

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void Options_Each_HasBothTimeoutsAndNonRetryableErrors(string name)
    {
        var options = Option(name);

        Assert.NotNull(options.StartToCloseTimeout);
        Assert.NotNull(options.ScheduleToCloseTimeout);
        Assert.True(options.ScheduleToCloseTimeout > options.StartToCloseTimeout);
        Assert.NotNull(options.RetryPolicy);
        Assert.NotEmpty(options.RetryPolicy.NonRetryableErrorTypes!);
    }

    [Fact]
    public void TradingRules_MissingRules_NotRetried()
    {
        var options = FulfillmentActivityOptions.TradingRules;

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
