using Xunit;

namespace FlashFundX.Drills.Tests.Infrastructure;

/// <summary>
/// Drills load the machine on purpose (hundreds of workflows, killed processes, a stopped database): they run one
/// after another, never beside each other, so each one's timings and counts are its own.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DrillCollection
{
    public const string Name = "Drills";
}
