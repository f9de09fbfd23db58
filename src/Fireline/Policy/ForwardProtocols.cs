using Fireline.Errors;

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

    /// <summary>A forward's <c>protocol</c> given as text (the CLI's flag); invalid-argument naming the field otherwise.</summary>
    public static ForwardProtocol Parse(string? text)
        => TryParse(text, out var protocol) ? protocol
            : throw DomainErrors.InvalidInput("protocol", $"{FieldReference.Of("protocol")} must be tcp or udp, not {UserText.Quote(text ?? "")}");
}
