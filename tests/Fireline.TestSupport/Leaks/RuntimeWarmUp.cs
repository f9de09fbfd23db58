using System.Net.Sockets;

namespace Fireline.TestSupport.Leaks;

/// <summary>
/// Makes the runtime open what it keeps for the rest of the process the first time it is used: the socket
/// engine's epoll descriptor and wake-up pipe, and the pipe child-process handling listens to SIGCHLD on.
/// Opened before the first test class, they are not counted against it.
/// </summary>
internal static class RuntimeWarmUp
{
    public static void Run()
    {
        _ = Tool.TryRun("true");
        using var pair = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var path = Path.Combine(Path.GetTempPath(), $"fireline-warmup-{Environment.ProcessId}.sock");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen();
            var accept = listener.AcceptAsync();
            pair.Connect(new UnixDomainSocketEndPoint(path));
            using var accepted = accept.GetAwaiter().GetResult();
            accepted.SendAsync(new byte[] { 1 }).GetAwaiter().GetResult();
            _ = pair.ReceiveAsync(new byte[1]).GetAwaiter().GetResult();
        }

        File.Delete(path);
    }
}
