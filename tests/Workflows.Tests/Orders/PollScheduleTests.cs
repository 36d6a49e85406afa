using FlashFundX.Workflows.Orders;

namespace FlashFundX.Workflows.Tests.Orders;

public sealed class PollScheduleTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(4, 15)]
    [InlineData(1000, 15)]
    public void IntervalAfter_PollsDone_DoublesUpToTheCap(int pollsDone, int expectedMinutes)
    {
        var interval = PollSchedule.IntervalAfter(pollsDone, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15));

        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), interval);
    }
}
