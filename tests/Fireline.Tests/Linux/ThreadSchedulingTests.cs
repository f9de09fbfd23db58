using Fireline.Linux;

namespace Fireline.Tests.Linux;

public sealed class ThreadSchedulingTests
{
    /// <summary>Field 19 of /proc/thread-self/stat is the thread's nice value (after the command, which may hold spaces).</summary>
    private static int OwnNice() => int.Parse(File.ReadAllText("/proc/thread-self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[16],
        System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Lowers_the_calling_threads_priority_and_no_other_threads()
    {
        var (before, lowered, after) = (0, 0, 0);
        var thread = new Thread(() =>
        {
            before = OwnNice();
            ThreadScheduling.SetNice(before + 5);
            lowered = OwnNice();
        });
        thread.Start();
        thread.Join();
        var other = new Thread(() => after = OwnNice());
        other.Start();
        other.Join();

        Assert.Equal(before + 5, lowered);
        Assert.Equal(before, after);
    }
}
