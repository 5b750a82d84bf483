using Parley.Cli;

return await ParleyApp.RunAsync(args, CliContext.FromConsole());
