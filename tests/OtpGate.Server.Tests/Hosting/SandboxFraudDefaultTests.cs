using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OtpGate.Server.Tests.Support;
using OtpGate.Verification.Fraud;

namespace OtpGate.Server.Tests.Hosting;

/// <summary>
/// The fraud guard in the embedded default: off unless asked for (the sandbox's scenario numbers share one prefix and
/// never convert, so a developer exploring them would be blocked within minutes), and on when <c>Fraud:Enabled</c> says so.
/// </summary>
public sealed class SandboxFraudDefaultTests
{
    [Fact]
    public async Task The_sandbox_starts_with_the_guard_off_and_says_so()
    {
        // The test servers set Fraud:Enabled=false; a null value leaves the key out, as in a fresh configuration.
        await using var server = new CustomServer(new() { ["Fraud:Enabled"] = null });
        await server.InitializeAsync();

        Assert.False(server.Services.GetRequiredService<IOptions<FraudOptions>>().Value.Enabled);
        Assert.Contains("Fraud guard:  off in the sandbox (Fraud:Enabled=true turns it on)", server.Banner.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fraud_enabled_turns_the_guard_on_in_the_sandbox()
    {
        await using var server = new CustomServer(new() { ["Fraud:Enabled"] = "true" });
        await server.InitializeAsync();

        Assert.True(server.Services.GetRequiredService<IOptions<FraudOptions>>().Value.Enabled);
        Assert.Contains("Fraud guard:  on (otpgate fraud status)", server.Banner.ToString(), StringComparison.Ordinal);
    }
}
