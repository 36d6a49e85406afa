using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// What a drill did and counted, printed as it goes (seconds since the drill started), so a failure shows which
/// promise broke and where. Lines go to the test output and to the console (visible with <c>--logger "console;verbosity=detailed"</c>).
/// </summary>
public sealed class DrillLog(ITestOutputHelper output, string drill)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();

    public TimeSpan Elapsed => _clock.Elapsed;

    public void Line(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{drill} {_clock.Elapsed.TotalSeconds,7:0.00}s] {message}");
        lock (_gate)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already finished (a late background line); the console still has it.
            }
            Console.WriteLine(line);
        }
    }

    /// <summary>One counted fact: <c>name = actual (expected …)</c>, flagged when it differs.</summary>
    public void Count(string name, long actual, long? expected = null) =>
        Line(expected is null
            ? $"  {name} = {actual}"
            : $"  {name} = {actual} (expected {expected}){(actual == expected ? "" : "  <-- BROKEN")}");
}
