using Fireline.Cni;

return CniPlugin.Run(CniEnvironment.FromProcess(), Console.OpenStandardInput(), Console.OpenStandardOutput());
