namespace Fireline.TestSupport;

/// <summary>Waits for a condition the kernel reaches asynchronously (a freed namespace's links vanishing).</summary>
public static class Eventually
{
    public static void True(Func<bool> condition, string because, double seconds = 3)
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
