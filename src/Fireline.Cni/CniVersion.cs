namespace Fireline.Cni;

/// <summary>
/// A CNI spec version the plugin speaks: 0.3.0, 0.3.1, 0.4.0, 1.0.0 or 1.1.0. It answers in the version it was asked
/// in; what differs between them is the result's shape (<see cref="CniResult"/>) and the verbs each knows (CHECK since
/// 0.4.0, GC and STATUS since 1.1.0).
/// </summary>
internal sealed record CniVersion
{
    public static readonly IReadOnlyList<string> Supported = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"];

    private CniVersion(string text) => Text = text;

    public string Text { get; }

    /// <summary>Before 1.0.0 every IP carries its family (<c>"version": "4"</c>).</summary>
    public bool IpsCarryVersion => string.CompareOrdinal(Text, "1.0.0") < 0;

    public static CniVersion Parse(string text)
        => Supported.Contains(text) ? new CniVersion(text)
            : throw new CniException(CniCodes.IncompatibleVersion, $"incompatible CNI version {CniEnvironment.Quote(text)}",
                $"Fireline speaks CNI {string.Join(", ", Supported)}");

    /// <summary>Error 1 when the verb came later than this version (CHECK in 0.4.0, GC and STATUS in 1.1.0).</summary>
    public void Allows(string verb, string since)
    {
        if (string.CompareOrdinal(Text, since) < 0)
        {
            throw new CniException(CniCodes.IncompatibleVersion, $"configuration version {Text} does not allow {verb}", $"{verb} came with CNI {since}");
        }
    }
}
