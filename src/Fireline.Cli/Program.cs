using Fireline.Cli;

return CliApplication.Run(args);
