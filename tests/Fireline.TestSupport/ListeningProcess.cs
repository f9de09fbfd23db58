using System.Diagnostics;

namespace Fireline.TestSupport;

/// <summary>A server started with <see cref="Probes.Listen"/>, stopped on Dispose.</summary>
public sealed class ListeningProcess(Process process) : IDisposable
{
    public void Dispose() => Probes.Stop(process);
}
