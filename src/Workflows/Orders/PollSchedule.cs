namespace FlashFundX.Workflows.Orders;

/// <summary>The growing interval of payment-status polls: the initial interval, doubled per poll, capped.</summary>
public static class PollSchedule
{
    /// <summary>The wait before the next poll when <paramref name="pollsDone"/> polls have already run.</summary>
    public static TimeSpan IntervalAfter(int pollsDone, TimeSpan initial, TimeSpan max)
    {
        var interval = initial;
        for (var i = 0; i < pollsDone && interval < max; i++)
        {
            interval += interval;
        }
        return interval < max ? interval : max;
    }
}
