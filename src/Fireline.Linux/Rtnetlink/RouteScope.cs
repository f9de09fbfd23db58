namespace Fireline.Linux.Rtnetlink;

/// <summary>RT_SCOPE_* (linux/rtnetlink.h): how far a route or an address is valid.</summary>
public enum RouteScope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
