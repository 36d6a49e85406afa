namespace FlashFundX.DevHost.Hosting;

/// <summary>Section <c>LocalDev</c>: where the development run keeps what must outlive it, and how its Temporal server keeps time.</summary>
public sealed class LocalDevOptions
{
    public const string SectionName = "LocalDev";

    /// <summary>
    /// The folder for the local database, dev secrets, mail and the simulator's invoices; unset, <c>.localdev</c> at the
    /// repository root. A test or a second checkout points it elsewhere.
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>
    /// Starts the embedded Temporal server in time-skipping mode (never the <c>temporal</c> CLI's): time runs at wall
    /// speed until a client unlocks skipping (UnlockTimeSkippingWithSleep), e.g. a drill that moves an order to its
    /// payment deadline. Default false.
    /// </summary>
    public bool TemporalTimeSkipping { get; set; }
}
