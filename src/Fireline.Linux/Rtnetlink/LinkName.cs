using System.Text;

namespace Fireline.Linux.Rtnetlink;

/// <summary>The kernel's rules for interface names (dev_valid_name), checked before any call.</summary>
public static class LinkName
{
    /// <summary>IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxBytes = 15;

    public static bool IsValid(string name)
        => name.Length > 0 && Encoding.UTF8.GetByteCount(name) <= MaxBytes && name is not "." and not ".." &&
           !name.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || c == '\0');

    public static string Validate(string name)
        => IsValid(name) ? name : throw new ArgumentException(
            $"'{name}' is not a valid interface name: 1-{MaxBytes} bytes, no '/', ':' or white space", nameof(name));
}
