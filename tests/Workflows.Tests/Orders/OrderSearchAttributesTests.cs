using FlashFundX.Workflows.Orders;
using Temporalio.Api.Enums.V1;

namespace FlashFundX.Workflows.Tests.Orders;

public sealed class OrderSearchAttributesTests
{
    [Fact]
    public void All_FiveKeywordKeys_WithDistinctFfxNames()
    {
        var keys = OrderSearchAttributes.All;

        Assert.Equal(["FfxOrderId", "FfxStage", "FfxPaymentStatus", "FfxAccountType", "FfxPlatform"], keys.Select(k => k.Name));
        Assert.All(keys, k => Assert.Equal(IndexedValueType.Keyword, k.ValueType));
    }
}
