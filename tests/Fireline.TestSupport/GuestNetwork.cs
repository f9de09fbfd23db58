using System.Globalization;

namespace Fireline.TestSupport;

/// <summary>
/// How a guest configured itself, from its line <c>FIRELINE NET &lt;dev&gt; &lt;address&gt;/&lt;prefix&gt; gw
/// &lt;gateway&gt; mac &lt;mac&gt; from &lt;ip-arg|mac&gt; dns &lt;servers|none&gt;</c>. <see cref="Source"/> says
/// whether the kernel's <c>ip=</c> argument or the 06:00 MAC gave the address; <see cref="Dns"/> is the servers
/// comma-separated, or <c>none</c>.
/// </summary>
public sealed record GuestNetwork(string Device, string Address, int PrefixLength, string Gateway, string Mac, string Source, string Dns)
{
    /// <summary>Parses a NET line; null for any other line.</summary>
    public static GuestNetwork? Parse(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 12 || parts[0] != "FIRELINE" || parts[1] != "NET")
        {
            return null;
        }

        var address = parts[3].Split('/');
        return new GuestNetwork(parts[2], address[0], int.Parse(address[1], CultureInfo.InvariantCulture), parts[5], parts[7], parts[9], parts[11]);
    }
}
