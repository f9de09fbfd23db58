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
}
