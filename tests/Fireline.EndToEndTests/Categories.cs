namespace Fireline.EndToEndTests;

/// <summary>Tests of this tier boot real guests (QEMU, software emulation) on Fireline's TAPs: root, and guest/out built.</summary>
internal static class Categories
{
    public const string EndToEnd = "EndToEnd";
}
