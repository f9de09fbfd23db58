namespace Fireline.Policy;

/// <summary>A <see cref="ForwardProtocol"/>'s one text, read and written where it crosses an edge.</summary>
public static class ForwardProtocols
{
    public static string Name(this ForwardProtocol protocol) => protocol == ForwardProtocol.Udp ? "udp" : "tcp";

    /// <summary>Exactly <c>tcp</c> or <c>udp</c>, as the CLI, the API and the state file spell them.</summary>
    public static bool TryParse(string? text, out ForwardProtocol protocol)
    {
        protocol = text == "udp" ? ForwardProtocol.Udp : ForwardProtocol.Tcp;
        return text is "tcp" or "udp";
    }
}
