using FlashFundX.Workflows.Domain;

namespace FlashFundX.Workflows.Tests.Domain;

public sealed class OrderIdsTests
{
    [Theory]
    [InlineData("FFX123456789")]
    [InlineData("FFX000000001")]
    public void IsValid_LegacyFormat_True(string orderId)
    {
        var valid = OrderIds.IsValid(orderId);

        Assert.True(valid);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("FFX12345678")]
    [InlineData("FFX1234567890")]
    [InlineData("ffx123456789")]
    [InlineData("FFY123456789")]
    [InlineData("FFX12345678a")]
    [InlineData(" FFX123456789")]
    [InlineData("FFX123456789\n")]
    public void IsValid_OtherShapes_False(string? orderId)
    {
        var valid = OrderIds.IsValid(orderId);

        Assert.False(valid);
    }

    [Fact]
    public void WorkflowId_OrderId_PrefixedWithOrder()
    {
        var workflowId = OrderIds.WorkflowId("FFX123456789");

        Assert.Equal("order-FFX123456789", workflowId);
    }
}
