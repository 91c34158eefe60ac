using System.Diagnostics;

namespace OtpGate.Cli.Tests.Support;

public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
