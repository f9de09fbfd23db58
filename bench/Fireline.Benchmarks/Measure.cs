using System.Diagnostics;
using System.Globalization;

namespace Fireline.Benchmarks;

/// <summary>
/// What the hand-timed benchmarks share: timing one operation, nearest-rank percentiles printed as a table row
/// and as a tab-separated line for scripts, and their <c>--name value</c> options.
/// </summary>
public static class Measure
{
    public static double Time(Action operation)
    {
        var start = Stopwatch.GetTimestamp();
        operation();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The table's header; <paramref name="operationWidth"/> as given to <see cref="Report"/>.</summary>
    public static void Header(int operationWidth)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"vms on host",12} {"operation".PadRight(operationWidth)} {"n",5} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"mean ms",8}"));

    /// <summary>
    /// Prints one row (sorting <paramref name="milliseconds"/>) and the line
    /// <c>TAG	SIZE	OPERATION	N	P50	P90	P99	MEAN</c>; returns the p50.
    /// </summary>
    public static double Report(string tag, string size, string operation, List<double> milliseconds, int operationWidth)
    {
        milliseconds.Sort();
        double At(double p) => milliseconds[Math.Max(0, (int)Math.Ceiling(p * milliseconds.Count) - 1)]; // nearest rank
        var (p50, p90, p99, mean) = (At(0.50), At(0.90), At(0.99), milliseconds.Average());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{size,12} {operation.PadRight(operationWidth)} {milliseconds.Count,5} {p50,8:F2} {p90,8:F2} {p99,8:F2} {mean,8:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tag}\t{size}\t{operation}\t{milliseconds.Count}\t{p50:F3}\t{p90:F3}\t{p99:F3}\t{mean:F3}"));
        return p50;
    }

    public static string Option(string[] args, string name, string fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
    }

    public static int Option(string[] args, string name, int fallback)
        => int.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    public static double Option(string[] args, string name, double fallback)
        => double.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

    /// <summary>A comma-separated list of host sizes, e.g. <c>--sizes 10,1000</c>.</summary>
    public static int[] Sizes(string[] args, string fallback)
        => [.. Option(args, "--sizes", fallback).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
