namespace Fireline.Linux.Rtnetlink;

/// <summary>A Linux bridge: <c>ip link add NAME type bridge</c>.</summary>
public sealed class Bridge : LinkKind
{
    public override string Kind => "bridge";
}

/// <summary>A dummy device: <c>ip link add NAME type dummy</c>.</summary>
public sealed class Dummy : LinkKind
{
    public override string Kind => "dummy";
}
