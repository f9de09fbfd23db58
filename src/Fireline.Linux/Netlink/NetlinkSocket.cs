using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Fireline.Linux.Interop;

namespace Fireline.Linux.Netlink;

/// <summary>
/// A netlink socket bound to the network namespace of the thread that opened it; it stays bound there
/// whichever thread uses it later. Not thread-safe: one exchange at a time (pools hand sockets out).
/// </summary>
internal sealed class NetlinkSocket : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int DumpAttempts = 5;

    /// <summary>What a new socket's send buffer holds at least (net.core.wmem_default is 212,992).</summary>
    private const int DefaultSendBuffer = 200 * 1024;

    private readonly SafeFd _fd;
    private readonly byte[] _receive = new byte[ReceiveBufferSize];
    private uint _sequence;
    private int _sendBuffer = DefaultSendBuffer;

    private NetlinkSocket(SafeFd fd, NetlinkProtocol protocol, uint portId)
    {
        _fd = fd;
        Protocol = protocol;
        PortId = portId;
    }

    public NetlinkProtocol Protocol { get; }

    /// <summary>The port id the kernel gave this socket.</summary>
    public uint PortId { get; }

    /// <summary>Called for each data message of a reply (not for acks or NLMSG_DONE).</summary>
    public delegate void ReplyHandler(NetlinkMessage message);

    /// <summary>Opens a socket in the calling thread's network namespace, with extended acks on.</summary>
    public static NetlinkSocket Open(NetlinkProtocol protocol)
    {
        var fd = Libc.Socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, (int)protocol);
        if (fd.IsInvalid)
        {
            throw KernelException.FromLastError(KernelObjectKind.Other, $"socket(AF_NETLINK, {protocol})", null);
        }

        try
        {
            int one = 1;
            var address = new SockaddrNl { nl_family = Libc.AF_NETLINK };
            // SAFETY: each pointer is to a local of this frame (the GC never moves those), passed with its own size.
            unsafe
            {
                // Extended acks carry the kernel's reason text; capped acks keep the request out of error replies.
                if (Libc.SetSockOpt(fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, &one, sizeof(int)) != 0 ||
                    Libc.SetSockOpt(fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_CAP_ACK, &one, sizeof(int)) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Other, "setsockopt(SOL_NETLINK)", null);
                }

                if (Libc.Bind(fd, &address, (uint)sizeof(SockaddrNl)) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Other, "bind(AF_NETLINK)", null);
                }

                uint length = (uint)sizeof(SockaddrNl);
                if (Libc.GetSockName(fd, &address, &length) != 0)
                {
                    throw KernelException.FromLastError(KernelObjectKind.Other, "getsockname(AF_NETLINK)", null);
                }
            }

            return new NetlinkSocket(fd, protocol, address.nl_pid);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends every message of <paramref name="request"/> in one send() and waits until each is answered: an
    /// ack for a change, NLMSG_DONE for a dump. Data messages go to <paramref name="onReply"/>. All messages
    /// are processed by the kernel; the first failure is thrown after the last answer is read, so the
    /// socket is left clean for the next exchange.
    /// </summary>
    public void Execute(NetlinkRequest request, ReplyHandler? onReply = null)
    {
        if (request.Messages.Count == 0)
        {
            return;
        }

        var firstSequence = Stamp(request);
        SendAll(request.MutableBytes, request.Messages[0]);
        ReceiveUntilAnswered(request, firstSequence, onReply, null);
    }

    /// <summary>
    /// Sends <paramref name="silent"/>, whose messages the kernel answers only when one fails (an nf_tables
    /// batch sent without acks), then <paramref name="sync"/>, which it always answers. The kernel handles each
    /// send to the end before it returns, so every failure of the first is queued before the answer to the
    /// second: reading up to that answer sees them all, with no timeout and no select(). Throws the first
    /// failure. A send larger than the socket's buffer grows the buffer first (root may exceed rmem/wmem limits).
    /// </summary>
    public void ExecuteSilent(NetlinkRequest silent, NetlinkRequest sync)
    {
        var silentFirst = Stamp(silent);
        var syncFirst = Stamp(sync);
        if (silent.Bytes.Length > _sendBuffer)
        {
            var size = silent.Bytes.Length + (64 * 1024);
            // SAFETY: &size points to a local of this frame (the GC never moves it), an int as SO_SNDBUFFORCE takes.
            unsafe
            {
                if (Libc.SetSockOpt(_fd, Libc.SOL_SOCKET, Libc.SO_SNDBUFFORCE, &size, sizeof(int)) != 0)
                {
                    throw KernelException.FromLastError(silent.Messages[0].Kind, "setsockopt(SO_SNDBUFFORCE)", null);
                }
            }

            _sendBuffer = size;
        }

        SendAll(silent.MutableBytes, silent.Messages[0]);
        SendAll(sync.MutableBytes, sync.Messages[0]);
        ReceiveUntilAnswered(sync, syncFirst, null, (silent, silentFirst));
    }

    /// <summary>Gives each message of the request the next sequence number; returns the first.</summary>
    private uint Stamp(NetlinkRequest request)
    {
        var first = _sequence + 1;
        var bytes = request.MutableBytes;
        foreach (var message in request.Messages)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[(message.Offset + 8)..], ++_sequence);
        }

        return first;
    }

    /// <summary>
    /// Runs a dump to its end, passing each data message to <paramref name="onReply"/>. A dump the kernel marks as
    /// interrupted by a concurrent change is read again from the start (after <paramref name="restart"/> has
    /// dropped what the broken attempt delivered), a few times, because a half-old, half-new table is worse than
    /// an error.
    /// </summary>
    public void Dump(Func<NetlinkRequest> build, ReplyHandler onReply, Action restart)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Execute(build(), onReply);
                return;
            }
            catch (DumpInterruptedException) when (attempt < DumpAttempts)
            {
                restart();
            }
        }
    }

    /// <summary>Runs a dump and collects what <paramref name="parse"/> returns for each message (null skips one).</summary>
    public List<T> Dump<T>(Func<NetlinkRequest> build, Func<NetlinkMessage, T?> parse) where T : class
    {
        var items = new List<T>();
        Dump(build, message =>
        {
            if (parse(message) is { } item)
            {
                items.Add(item);
            }
        }, items.Clear);
        return items;
    }

    /// <summary>
    /// <see cref="Dump{T}"/> with strict checking (NETLINK_GET_STRICT_CHK) on for this dump alone, as iproute2 does
    /// for <c>ip addr show dev LINK</c>: the kernel then honours the request header's filters (an address dump's
    /// link index) and reads that link alone instead of walking every link of the namespace, and refuses a request
    /// with fields it would otherwise ignore. Other dumps on the socket stay lenient.
    /// </summary>
    public List<T> DumpStrict<T>(Func<NetlinkRequest> build, Func<NetlinkMessage, T?> parse) where T : class
    {
        // The kernel reads the flag when a dump starts (netlink_dump_start), so it is off again before the next one.
        StrictChecking(true);
        try
        {
            return Dump(build, parse);
        }
        finally
        {
            StrictChecking(false);
        }
    }

    private void StrictChecking(bool on)
    {
        int value = on ? 1 : 0;
        // SAFETY: &value points to a local of this frame (the GC never moves it), an int as the option takes.
        unsafe
        {
            if (Libc.SetSockOpt(_fd, NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_GET_STRICT_CHK, &value, sizeof(int)) != 0)
            {
                throw KernelException.FromLastError(KernelObjectKind.Other, "setsockopt(NETLINK_GET_STRICT_CHK)", null);
            }
        }
    }

    private void SendAll(ReadOnlySpan<byte> bytes, NetlinkRequest.Entry first)
    {
        // SAFETY: fixed pins the bytes through every send(), which reads no more than bytes.Length of them.
        unsafe
        {
            fixed (byte* pointer = bytes)
            {
                while (true)
                {
                    var sent = Libc.Send(_fd, pointer, (nuint)bytes.Length, 0);
                    if (sent >= 0)
                    {
                        return;
                    }

                    if (Marshal.GetLastPInvokeError() != (int)Errno.EINTR)
                    {
                        throw KernelException.FromLastError(first.Kind, first.Operation, first.ObjectName);
                    }
                }
            }
        }
    }

    private void ReceiveUntilAnswered(NetlinkRequest request, uint firstSequence, ReplyHandler? onReply,
        (NetlinkRequest Request, uint FirstSequence)? silent)
    {
        var messages = request.Messages;
        var answered = new bool[messages.Count];
        var remaining = messages.Count;
        KernelException? firstError = null;
        var interrupted = false;

        while (remaining > 0)
        {
            nint received;
            // SAFETY: fixed pins the receive buffer for the call, and recv() writes no more than its length.
            unsafe
            {
                fixed (byte* pointer = _receive)
                {
                    received = Libc.Recv(_fd, pointer, ReceiveBufferSize, 0);
                }
            }

            if (received < 0)
            {
                if (Marshal.GetLastPInvokeError() == (int)Errno.EINTR)
                {
                    continue;
                }

                throw KernelException.FromLastError(messages[0].Kind, $"{messages[0].Operation} (receive)", messages[0].ObjectName);
            }

            var span = _receive.AsSpan(0, (int)received);
            while (span.Length >= NetlinkConstants.HeaderSize)
            {
                var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(span);
                if (length < NetlinkConstants.HeaderSize || length > span.Length)
                {
                    break;
                }

                var message = new NetlinkMessage(span[..length]);
                span = span[Math.Min(NetlinkConstants.Align(length), span.Length)..];

                var index = (long)message.Sequence - firstSequence;
                if (index < 0 || index >= messages.Count || answered[index])
                {
                    // Not an answer to this request: a failure of the silent one, or a late answer to an earlier exchange.
                    firstError ??= SilentFailure(message, silent);
                    continue;
                }

                var entry = messages[(int)index];
                if ((message.Flags & NetlinkFlags.DumpInterrupted) != 0)
                {
                    interrupted = true;
                }

                switch (message.Type)
                {
                    case NetlinkConstants.NLMSG_ERROR:
                    case NetlinkConstants.NLMSG_DONE:
                        var error = ParseError(message, out var kernelMessage);
                        if (error != 0)
                        {
                            firstError ??= KernelException.Create(-error, entry.Kind, entry.Operation, entry.ObjectName, kernelMessage);
                        }

                        answered[index] = true;
                        remaining--;
                        break;
                    case NetlinkConstants.NLMSG_NOOP:
                    case NetlinkConstants.NLMSG_OVERRUN:
                        break;
                    default:
                        onReply?.Invoke(message);
                        if ((entry.Flags & NetlinkFlags.Dump) != NetlinkFlags.Dump &&
                            (entry.Flags & NetlinkFlags.Ack) == 0 && (message.Flags & NetlinkFlags.Multi) == 0)
                        {
                            answered[index] = true; // a single reply without an ack asked for
                            remaining--;
                        }

                        break;
                }
            }
        }

        if (firstError is not null)
        {
            throw firstError;
        }

        if (interrupted)
        {
            throw new DumpInterruptedException(messages[0].Operation);
        }
    }

    /// <summary>The failure a message reports for one of the silent request's messages, if it is one.</summary>
    private static KernelException? SilentFailure(NetlinkMessage message, (NetlinkRequest Request, uint FirstSequence)? silent)
    {
        if (silent is not { } quiet || message.Type != NetlinkConstants.NLMSG_ERROR)
        {
            return null;
        }

        var index = (long)message.Sequence - quiet.FirstSequence;
        if (index < 0 || index >= quiet.Request.Messages.Count || ParseError(message, out var reason) is not (< 0 and var error))
        {
            return null;
        }

        var entry = quiet.Request.Messages[(int)index];
        return KernelException.Create(-error, entry.Kind, entry.Operation, entry.ObjectName, reason);
    }

    /// <summary>Reads nlmsgerr (or the int of NLMSG_DONE) and its extended-ack message, if any.</summary>
    private static int ParseError(NetlinkMessage message, out string? kernelMessage)
    {
        kernelMessage = null;
        var payload = message.Payload;
        if (payload.Length < 4)
        {
            return 0;
        }

        var error = BinaryPrimitives.ReadInt32LittleEndian(payload);
        if (((ushort)message.Flags & NetlinkConstants.NLM_F_ACK_TLVS) == 0)
        {
            return error;
        }

        int tlvOffset;
        if (message.Type == NetlinkConstants.NLMSG_DONE)
        {
            tlvOffset = 4;
        }
        else
        {
            var capped = ((ushort)message.Flags & NetlinkConstants.NLM_F_CAPPED) != 0;
            var originalLength = payload.Length >= 8 ? (int)BinaryPrimitives.ReadUInt32LittleEndian(payload[4..]) : 0;
            tlvOffset = 4 + (capped ? NetlinkConstants.HeaderSize : NetlinkConstants.Align(originalLength));
        }

        if (tlvOffset < payload.Length)
        {
            foreach (var attribute in new AttributeReader(payload[tlvOffset..]))
            {
                if (attribute.Type == NetlinkConstants.NLMSGERR_ATTR_MSG)
                {
                    kernelMessage = attribute.String;
                }
            }
        }

        return error;
    }

    public void Dispose() => _fd.Dispose();
}
