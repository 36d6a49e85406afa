using System.Diagnostics;
using static System.FormattableString;

namespace FlashFundX.Bench.EndToEnd;

/// <summary>
/// A fixed workload run just before and just after the measured orders, in the same process, against the same service:
/// <see cref="Clients"/> clients calling <c>GET /health/ready</c> back to back. Each call goes through Kestrel, runs a
/// PostgreSQL query, a gRPC call to Temporal and an HTTP call to the simulator: the same parts an order uses, and none
/// of the fulfilment code. The code under test cannot move its rate; only the machine can (other tenants of the VM).
/// Set against it, orders/s and CPU per order become ratios that can be compared between runs taken at different
/// moments of the VM, where the raw numbers of one build moved by half.
/// </summary>
internal static class ReferenceLoad
{
    public const int Clients = 32;

    public static async Task<ReferenceResult> RunAsync(HttpClient http, int? postgresPid, TimeSpan duration)
    {
        var requests = 0L;
        var sampler = ResourceSampler.Start(postgresPid);
        await using (sampler.ConfigureAwait(false))
        {
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                while (watch.Elapsed < duration)
                {
                    using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative)).ConfigureAwait(false);
                    await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref requests);
                }
            })).ConfigureAwait(false);
            var resources = await sampler.StopAsync().ConfigureAwait(false);
            var cpu = resources.ProcessCpu + (resources.PostgresCpu ?? TimeSpan.Zero);
            return new ReferenceResult(requests / resources.Wall.TotalSeconds, cpu.TotalMilliseconds / requests);
        }
    }
}

/// <summary>The reference workload's rate and its CPU (bench process + PostgreSQL) per request.</summary>
internal sealed record ReferenceResult(double RequestsPerSecond, double CpuMsPerRequest)
{
    public static ReferenceResult Mean(ReferenceResult a, ReferenceResult b) =>
        new((a.RequestsPerSecond + b.RequestsPerSecond) / 2, (a.CpuMsPerRequest + b.CpuMsPerRequest) / 2);

    public override string ToString() => Invariant($"{RequestsPerSecond:F0} /s, {CpuMsPerRequest:F2} ms CPU per request");
}
