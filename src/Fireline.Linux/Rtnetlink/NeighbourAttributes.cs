namespace Fireline.Linux.Rtnetlink;

/// <summary>NDA_* attribute numbers (linux/neighbour.h).</summary>
internal static class Nda
{
    public const ushort Destination = 1;
    public const ushort LinkLayerAddress = 2;
    public const ushort InterfaceIndex = 8;
}
