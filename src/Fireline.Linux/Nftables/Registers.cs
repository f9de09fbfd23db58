namespace Fireline.Linux.Nftables;

/// <summary>
/// nf_tables' 32-bit data registers (NFT_REG32_00 = 8 ... NFT_REG32_15), and the verdict register. A value
/// longer than 4 bytes spans consecutive registers; concatenations are loaded part after part, each starting
/// on a register of its own.
/// </summary>
public enum NftRegister : uint
{
    Verdict = 0,
    R0 = 8,
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    R14,
    R15,
}

internal static class Registers
{
    public const int Size = 4;

    /// <summary>The bytes a value of <paramref name="length"/> takes in registers (rounded up to 4).</summary>
    public static int Padded(int length) => (length + Size - 1) / Size * Size;

    /// <summary>The register after a value of <paramref name="length"/> bytes that starts at <paramref name="first"/>.</summary>
    public static NftRegister After(NftRegister first, int length) => first + (uint)(Padded(length) / Size);
}
