using FlashFundX.DevHost;
using FlashFundX.ServiceDefaults.Settings;

return await StartupSettings.RunAsync(await DevHostApplication.CreateAsync(args), DevHostApplication.Name);
