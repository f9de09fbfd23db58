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

    [Fact]
    public void Runs_at_normal_priority_inside_the_scope_when_allowed_and_at_its_own_nice_value_again_after_it()
    {
        var (inside, after, unchanged) = (-1, -1, -1);
        var thread = new Thread(() =>
        {
            ThreadScheduling.SetNice(10);
            using (ThreadScheduling.AtNormalPriority())
            {
                inside = OwnNice();
            }

            after = OwnNice();
        });
        thread.Start();
        thread.Join();
        var normal = new Thread(() =>
        {
            var own = OwnNice();
            using (ThreadScheduling.AtNormalPriority())
            {
                unchanged = OwnNice() - own; // a thread SetNice never touched is left as it is
            }
        });
        normal.Start();
        normal.Join();

        // Going back to 0 needs CAP_SYS_NICE (or RLIMIT_NICE): without it the scope leaves the thread as it is.
        Assert.Equal(Environment.IsPrivilegedProcess ? 0 : 10, inside);
        Assert.Equal(10, after);
        Assert.Equal(0, unchanged);
    }
}
