using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Fireline.Cli.Daemon;

/// <summary>
/// Whether a TCP connection has carried a request the daemon serves (an authorized one, or a scrape on the metrics
/// listener): <see cref="ListenerGuard"/> closes one that has not by its deadline. Kept in the connection's items,
/// where the request pipeline finds it.
/// </summary>
internal sealed class TcpAdmission
{
    private static readonly object Key = new();
    private int _admitted;

    public bool Admitted => Volatile.Read(ref _admitted) != 0;

    public void AttachTo(IDictionary<object, object?> connectionItems) => connectionItems[Key] = this;

    /// <summary>Marks the request's connection admitted; a Unix-socket connection has no admission and nothing happens.</summary>
    public static void Admit(HttpContext http)
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(Key, out var item) == true && item is TcpAdmission admission)
        {
            Volatile.Write(ref admission._admitted, 1);
        }
    }
}
