namespace Fireline.TestSupport;

/// <summary>
/// Waits for a condition the kernel reaches asynchronously (a freed namespace's links vanishing). The deadline only
/// ends a test that fails: a passing one returns as soon as the condition holds, however loaded the machine.
/// </summary>
public static class Eventually
{
    public static void True(Func<bool> condition, string because, double seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {seconds} s: {because}");
            }

            Thread.Sleep(20);
        }
    }
}
