using FlashFundX.ServiceDefaults.Hosting;
using FlashFundX.ServiceDefaults.Settings;
using FlashFundX.Worker;
using FlashFundX.Worker.Replay;

if (await ReplayCommand.TryRunAsync(args) is { } replayExit)
{
    return replayExit;
}
if (await MigrateCommand.TryRunAsync(args, WorkerHost.ApplicationName) is { } migrateExit)
{
    return migrateExit;
}

return await StartupSettings.RunAsync(WorkerHost.CreateBuilder(args).Build(), WorkerHost.ApplicationName);
