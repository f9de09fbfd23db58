namespace Fireline.Ownership;

/// <summary>Whose a kernel object is, as its mark says.</summary>
public enum Owner
{
    /// <summary>It carries this instance's mark.</summary>
    Ours,

    /// <summary>It carries no mark at all: made by someone else, or by a Fireline older than marks.</summary>
    Unmarked,

    /// <summary>It carries another instance's mark, or an alias someone else gave it.</summary>
    Foreign,
}
