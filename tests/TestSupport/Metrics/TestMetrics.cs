using FlashFundX.ServiceDefaults.Metrics;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace FlashFundX.TestSupport.Metrics;

/// <summary>A real <see cref="FulfillmentMetrics"/> for activities constructed by hand in tests and benchmarks.</summary>
public static class TestMetrics
{
    private static readonly Lazy<FulfillmentMetrics> Shared = new(() =>
        new FulfillmentMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()));

    public static FulfillmentMetrics Instance => Shared.Value;
}
