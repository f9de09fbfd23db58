using Fireline.Documents;

namespace Fireline.Cli.Configuration;

/// <summary>
/// Reads a YAML document (a networks file, the configuration file) from a file or standard input, never more than
/// one character past <see cref="BoundedYaml.MaxDocumentLength"/>: a document too large is refused without being
/// read whole, whatever its size (a device, a pipe that never ends).
/// </summary>
internal static class DocumentFile
{
    /// <summary>The text; null when it is larger than a document may be. I/O errors are the caller's to report.</summary>
    public static string? Read(string path)
    {
        using var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path);
        var buffer = new char[64 * 1024];
        var text = new System.Text.StringBuilder();
        int read;
        while ((read = reader.Read(buffer)) > 0)
        {
            text.Append(buffer, 0, read);
            if (text.Length > BoundedYaml.MaxDocumentLength)
            {
                return null;
            }
        }

        return text.ToString();
    }

    /// <summary>The refusal's words: "larger than 16 MiB".</summary>
    public static string TooLarge(string path) => $"{(path == "-" ? "standard input" : path)} is larger than 16 MiB, the most a document may be";
}
