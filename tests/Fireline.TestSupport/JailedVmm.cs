using System.Diagnostics;

namespace Fireline.TestSupport;

/// <summary>What a jailed, unprivileged VMM does with its TAP: attach to it by name as its own uid and gid.</summary>
public static class JailedVmm
{
    // Open the clone device, attach by name with Firecracker's flags (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR).
    private const string AttachScript = """
        import fcntl, os, struct, sys
        fd = os.open(sys.argv[2], os.O_RDWR)
        fcntl.ioctl(fd, 0x400454ca, struct.pack("16sh22x", sys.argv[1].encode(), 0x0002 | 0x1000 | 0x4000))
        print("attached")
        """;

    /// <summary>
    /// Attaches as an unprivileged user; prints "attached" on success. The machine's /dev/net/tun may be root-only
    /// (0600 here), so, like Firecracker's jailer does in its chroot, the process gets its own device node that it
    /// may open: the tun driver, not the node's mode, is what must enforce the TAP's owner and group.
    /// </summary>
    public static Tool.Result Attach(string nsName, string tap, int uid, int gid)
    {
        var directory = Directory.CreateTempSubdirectory("fireline-tun-");
        try
        {
            Tool.Run("chmod", "0755", directory.FullName);
            var node = Path.Combine(directory.FullName, "tun");
            Tool.Run("mknod", "-m", "0666", node, "c", "10", "200");
            return Tool.TryRun("nsenter", [$"--net=/var/run/netns/{nsName}", "--", "setpriv", $"--reuid={uid}", $"--regid={gid}",
                "--clear-groups", "--", "/usr/bin/python3", "-c", AttachScript, tap, node], TimeSpan.FromSeconds(30));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Attach as above, then leave for another namespace (setns), keeping the descriptor, until killed.
    private const string HoldScript = """
        import ctypes, fcntl, os, signal, struct, sys
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, 0x400454ca, struct.pack("16sh22x", sys.argv[1].encode(), 0x0002 | 0x1000 | 0x4000))
        if ctypes.CDLL(None, use_errno=True).setns(os.open(sys.argv[2], os.O_RDONLY), 0x40000000) != 0:
            sys.exit("setns: " + os.strerror(ctypes.get_errno()))
        print("held", flush=True)
        signal.pause()
        """;

    /// <summary>
    /// A VMM the orchestrator did not stop that holds <paramref name="tap"/> of <paramref name="vmNamespacePath"/> from
    /// outside it (it moved to <paramref name="elsewherePath"/>, as a process that was handed the descriptor would be):
    /// no /proc scan finds it in the VM's namespace. <see cref="Probes.Stop"/> lets the TAP go.
    /// </summary>
    public static Process HoldFromOutside(string vmNamespacePath, string tap, string elsewherePath)
    {
        var start = new ProcessStartInfo("nsenter") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--net={vmNamespacePath}", "--", "python3", "-c", HoldScript, tap, elsewherePath })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the TAP holder");
        if (process.StandardOutput.ReadLine() != "held")
        {
            Probes.Stop(process);
            throw new InvalidOperationException("the TAP holder did not attach and leave");
        }

        return process;
    }
}
