using FlashFundX.TestSupport.Temporal;

namespace FlashFundX.TestSupport.Service;

/// <summary>
/// The one <see cref="TemporalTestEnvironment"/> of the test process that every <see cref="FulfillmentService"/> uses
/// unless given another: started on first use, kept for the whole process (each service isolates itself by task queue).
/// </summary>
/// <remarks>
/// The embedded server runs with time skipping, but locked: nothing in the harness awaits results through the
/// environment's skipping handles, so timers (payment deadline, poll intervals) run on the wall clock.
/// </remarks>
public static class SharedTemporal
{
    private static readonly Lazy<Task<TemporalTestEnvironment>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<TemporalTestEnvironment> GetAsync() => Instance.Value;

    private static async Task<TemporalTestEnvironment> StartAsync()
    {
        var environment = new TemporalTestEnvironment();
        await environment.InitializeAsync().ConfigureAwait(false);
        // A CLI dev server is a child process: stop it with the test process (the embedded one dies with it anyway).
        AppDomain.CurrentDomain.ProcessExit += (_, _) => environment.DisposeAsync().GetAwaiter().GetResult();
        return environment;
    }
}
