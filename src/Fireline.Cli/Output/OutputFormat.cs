namespace Fireline.Cli.Output;

/// <summary><c>-o json|table</c>; without it: a table on a terminal, JSON otherwise (pipes, scripts).</summary>
internal enum OutputFormat
{
    Json,
    Table,
}
