namespace Fireline.Documents;

/// <summary>Where a node is: its first line (1-based), and the character offsets of its start and end.</summary>
public readonly record struct DocumentSpan(long Line, long Start, long End);
