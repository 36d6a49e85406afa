using FlashFundX.Bench;

return await Benchmarks.RunAsync(args);
