namespace OtpGate.Sandbox.Tests.Support;

public static class Wait
{
    /// <summary>A real-time limit for waits in tests; generous, only reached when something is broken.</summary>
    public static CancellationToken Timeout(int seconds = 15) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    /// <summary>Polls an asynchronous condition (an HTTP read, for instance).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var ct = Timeout(seconds);
        while (!await condition())
        {
            await Task.Delay(20, ct);
        }
    }

    /// <summary>Polls a condition (for state the sandbox exposes only through HTTP or a receiver).</summary>
    public static async Task UntilAsync(Func<bool> condition, int seconds = 15)
    {
        var ct = Timeout(seconds);
        while (!condition())
        {
            await Task.Delay(20, ct);
        }
    }
}
