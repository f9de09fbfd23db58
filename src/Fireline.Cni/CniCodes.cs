namespace Fireline.Cni;

/// <summary>The error codes the plugin returns: the spec's well-known ones (0-99) and Fireline's own (100 and up).</summary>
internal static class CniCodes
{
    public const int IncompatibleVersion = 1;
    public const int UnsupportedField = 2;
    public const int UnknownContainer = 3;
    public const int InvalidEnvironment = 4;
    public const int IoFailure = 5;
    public const int DecodeFailure = 6;
    public const int InvalidConfig = 7;
    public const int TryAgainLater = 11;
    public const int NotAvailable = 50;

    /// <summary>The request contradicts Fireline's state: the container id is an API VM's, a name is taken in the namespace.</summary>
    public const int Conflict = 100;

    /// <summary>The network has no free address, or its bridge no free port.</summary>
    public const int Exhausted = 101;

    /// <summary>The kernel refused an operation; the attachment was left as it was.</summary>
    public const int Kernel = 102;

    /// <summary>CHECK found the attachment broken; the details say what is wrong.</summary>
    public const int CheckFailed = 103;

    /// <summary>The daemon failed unexpectedly (its log has the details) or answered what the plugin cannot read.</summary>
    public const int Internal = 104;
}
