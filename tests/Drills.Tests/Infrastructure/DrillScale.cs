using System.Globalization;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// How big a drill runs. CI runs every test project in 20 minutes on 2 cores, so the default ("ci") is a scaled-down
/// drill that still exercises each fault; <c>FLASHFUNDX_DRILL_SCALE=full</c> runs the sizes of issue 5.
/// <c>FLASHFUNDX_DRILL_SEED</c> replays a run's random choices (every drill prints its seed).
/// </summary>
public static class DrillScale
{
    public const string ScaleVariable = "FLASHFUNDX_DRILL_SCALE";
    public const string SeedVariable = "FLASHFUNDX_DRILL_SEED";

    public static bool IsFull { get; } =
        string.Equals(Environment.GetEnvironmentVariable(ScaleVariable), "full", StringComparison.OrdinalIgnoreCase);

    public static string Name => IsFull ? "full" : "ci";

    /// <summary>The CI-default value, or the full (issue 5) value when <c>FLASHFUNDX_DRILL_SCALE=full</c>.</summary>
    public static int Pick(int ci, int full) => IsFull ? full : ci;

    public static TimeSpan Pick(TimeSpan ci, TimeSpan full) => IsFull ? full : ci;

    /// <summary>A seed for the drill's random choices: <c>FLASHFUNDX_DRILL_SEED</c> when set, else a fresh one (printed, to replay).</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed)
            ? seed
#pragma warning disable CA5394 // not security: a drill seed
            : Random.Shared.Next();
#pragma warning restore CA5394

    public static string Describe(string what, string ci, string full) =>
        $"scale={Name} ({what}: ci default {ci}, full {full}; set {ScaleVariable}=full for the issue's sizes)";
}
