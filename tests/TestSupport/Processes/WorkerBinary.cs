namespace FlashFundX.TestSupport.Processes;

/// <summary>The built src/Worker (<see cref="HostBinaries.Worker"/>), run as a separate process with <see cref="HostProcess"/>.</summary>
public static class WorkerBinary
{
    public static string Path => HostBinaries.Worker;
}
