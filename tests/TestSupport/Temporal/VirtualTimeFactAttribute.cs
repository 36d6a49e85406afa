using Xunit;

namespace FlashFundX.TestSupport.Temporal;

/// <summary>A fact that needs virtual time: skipped only when a real Temporal server or CLI is used.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VirtualTimeFactAttribute : FactAttribute
{
    public VirtualTimeFactAttribute()
    {
        if (!TemporalTestEnvironment.WillUseEmbeddedServer)
        {
            Skip = "Needs virtual time (embedded Temporal server); a real server is configured";
        }
    }
}

/// <summary>A theory that needs virtual time: skipped only when a real Temporal server or CLI is used.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VirtualTimeTheoryAttribute : TheoryAttribute
{
    public VirtualTimeTheoryAttribute()
    {
        if (!TemporalTestEnvironment.WillUseEmbeddedServer)
        {
            Skip = "Needs virtual time (embedded Temporal server); a real server is configured";
        }
    }
}
