namespace Fireline.Linux.TrafficControl;

/// <summary>TCA_* attribute numbers of qdisc, class and filter messages (linux/rtnetlink.h).</summary>
internal static class Tca
{
    public const ushort Kind = 1;
    public const ushort Options = 2;
}

/// <summary>TCA_TBF_* (linux/pkt_sched.h).</summary>
internal static class TcaTbf
{
    public const ushort Parms = 1;
    public const ushort Rate64 = 4;
    public const ushort Burst = 6;
}

/// <summary>TCA_HTB_* (linux/pkt_sched.h).</summary>
internal static class TcaHtb
{
    public const ushort Parms = 1;
    public const ushort Init = 2;
    public const ushort Rate64 = 6;
    public const ushort Ceil64 = 7;

    /// <summary>TC_HTB_PROTOVER: the kernel refuses other versions in tc_htb_glob.</summary>
    public const uint ProtocolVersion = 3;

    /// <summary>What tc sends as r2q (quantum = rate / r2q) unless told otherwise.</summary>
    public const uint RateToQuantum = 10;
}

/// <summary>TCA_U32_* (linux/pkt_cls.h).</summary>
internal static class TcaU32
{
    public const ushort Selector = 5;
    public const ushort Actions = 7;

    /// <summary>TC_U32_TERMINAL: a match ends the lookup (what <c>match</c> without <c>link</c> means).</summary>
    public const byte Terminal = 1;
}

/// <summary>TCA_ACT_* and mirred's TCA_MIRRED_* (linux/pkt_cls.h, linux/tc_act/tc_mirred.h).</summary>
internal static class TcaAction
{
    public const ushort Kind = 1;
    public const ushort Options = 2;
    public const ushort MirredParms = 2;

    /// <summary>TCA_EGRESS_REDIR: mirred redirects to the target's egress (through its root qdisc).</summary>
    public const int EgressRedirect = 1;

    /// <summary>TC_ACT_STOLEN: the packet now belongs to the action; the classifier stops.</summary>
    public const int Stolen = 4;
}
