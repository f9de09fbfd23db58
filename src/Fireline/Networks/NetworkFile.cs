using Fireline.Documents;
using Fireline.State;

namespace Fireline.Networks;

/// <summary>
/// A networks document read and validated on its own (<see cref="NetworkFileParser"/>): its networks in canonical
/// form, and how it names a network's field, so a refusal that needs the host names the field as the document
/// does. Only the parsing methods make one, so what holds one holds networks that passed the validator's value
/// checks; what is left to check (<see cref="NetworkValidator.CheckAgainstHost"/>) needs the host. Parsing needs
/// nothing but the document, so the daemon does it before it takes its exclusive section.
/// </summary>
public sealed class NetworkFile
{
    private NetworkFile(string? text, IReadOnlyList<NetworkSpec> networks, Func<int, string, string> field)
    {
        Text = text;
        Networks = networks;
        Field = field;
    }

    /// <summary>The networks file's text; null for networks read from a tree (the configuration file, an API body).</summary>
    public string? Text { get; }

    public IReadOnlyList<NetworkSpec> Networks { get; }

    /// <summary>A network's field in the document's terms: <c>networks[3].subnet</c>, or <c>subnet</c> for a lone network.</summary>
    public Func<int, string, string> Field { get; }

    /// <summary>Parses and validates; throws invalid-argument listing every problem.</summary>
    public static NetworkFile Parse(string text) => new(text, NetworkFileParser.Parse(text), NetworkFileParser.Field);

    /// <summary>The <c>networks</c> list of a document already read (the configuration file's).</summary>
    public static NetworkFile FromList(DocumentNode networks) => new(null, NetworkFileParser.ParseNetworks(networks), NetworkFileParser.Field);

    /// <summary>One network on its own (an API body), its fields named as it names them.</summary>
    public static NetworkFile FromNetwork(DocumentMap network) => new(null, [NetworkFileParser.ParseNetwork(network)], NetworkFileParser.OwnField);
}
