namespace Fireline.Linux.Rtnetlink;

/// <summary>
/// RTPROT_* (linux/rtnetlink.h): who installed a route. Values without a name here are valid too; a tool may
/// mark its own routes with a private number to recognise them later.
/// </summary>
public enum RouteProtocol : byte
{
    Unspecified = 0,
    Redirect = 1,
    Kernel = 2,
    Boot = 3,
    Static = 4,

    /// <summary>Router advertisement (iproute2: <c>ra</c>).</summary>
    Ra = 9,
    Dhcp = 16,
}
