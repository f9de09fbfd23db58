using Fireline.State;

namespace Fireline.Networks;

/// <summary>
/// A networks file read and validated on its own (<see cref="NetworkFileParser"/>): its text and its networks in
/// canonical form. Only <see cref="Parse"/> makes one, so what holds one holds networks that passed the validator's
/// value checks; what is left to check (<see cref="NetworkValidator.CheckAgainstHost"/>) needs the host. Parsing
/// needs nothing but the text, so the daemon does it before it takes its exclusive section.
/// </summary>
public sealed class NetworkFile
{
    private NetworkFile(string text, IReadOnlyList<NetworkSpec> networks)
    {
        Text = text;
        Networks = networks;
    }

    public string Text { get; }

    public IReadOnlyList<NetworkSpec> Networks { get; }

    /// <summary>Parses and validates; throws invalid-argument listing every problem.</summary>
    public static NetworkFile Parse(string text) => new(text, NetworkFileParser.Parse(text));
}
