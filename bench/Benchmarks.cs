namespace FlashFundX.Bench;

/// <summary>Dispatches <c>dotnet run -c Release --project bench -- NAME [options]</c> to one benchmark.</summary>
public static class Benchmarks
{
    private static readonly Dictionary<string, (string Description, Func<string[], Task<int>> Run)> All = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reservation"] = ("DeliverOrder (one transaction) vs the legacy delivery function and the old client-steps baseline, 10,000 orders at concurrency 1/8/64", Reservation.ReservationBenchmark.RunAsync),
        ["embedded-temporal"] = ("2,000 workflows x 3 activities (--local: local activities) through one worker on the embedded server", EmbeddedTemporal.EmbeddedTemporalBenchmark.RunAsync),
        ["email"] = ("order e-mails to an in-process SMTP server: kept connections vs a connection per message, alternating rounds", Email.EmailSenderBenchmark.RunAsync),
        ["e2e"] = ("1,000 orders created, paid by signed IPNs and delivered through the whole service (API, worker, Temporal, PostgreSQL)", EndToEnd.EndToEndBenchmark.RunAsync),
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var benchmark))
        {
            Console.WriteLine("usage: dotnet run -c Release --project bench -- <benchmark> [options]");
            foreach (var (name, (description, _)) in All)
            {
                Console.WriteLine($"  {name,-20} {description}");
            }
            return args.Length == 0 ? 0 : 2;
        }
        return await benchmark.Run(args[1..]).ConfigureAwait(false);
    }
}
