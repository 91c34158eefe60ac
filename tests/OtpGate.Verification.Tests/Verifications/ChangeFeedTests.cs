using Microsoft.Extensions.DependencyInjection;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Verifications;

public sealed class ChangeFeedTests
{
    [Fact]
    public async Task A_watcher_hears_of_each_committed_change_of_its_verification_only()
    {
        await using var engine = await Engine.StartAsync();
        var changes = engine.Services.GetRequiredService<VerificationChanges>();
        var watched = await engine.StartVerificationAsync("+1 212 555 0100");
        var other = await engine.StartVerificationAsync("+1 212 555 0111");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = changes.WatchAsync(watched, TimeSpan.FromHours(1), TimeProvider.System, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await watch.MoveNextAsync()); // the initial read

        var next = watch.MoveNextAsync().AsTask();
        await engine.Verifications.CancelAsync(Engine.Owner, other, CancellationToken.None);
        await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.False(next.IsCompleted);
        await engine.Verifications.CheckAsync(Engine.Owner, watched, await engine.WrongCodeAsync(watched), CancellationToken.None);

        Assert.True(await next);
        Assert.True(watch.Current);
    }
}
