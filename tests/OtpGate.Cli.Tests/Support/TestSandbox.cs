using OtpGate.Sandbox;

namespace OtpGate.Cli.Tests.Support;

/// <summary>A real sandbox on loopback with delays short enough for tests, and the environment that points otpgate at it.</summary>
public static class TestSandbox
{
    public static Task<SandboxServer> StartAsync(Action<SandboxOptions>? configure = null) =>
        SandboxServer.StartAsync(options =>
        {
            options.SentAfter = TimeSpan.FromMilliseconds(50);
            options.DeliveredAfter = TimeSpan.FromMilliseconds(100);
            options.ReadAfter = TimeSpan.FromMilliseconds(150);
            options.WebhookRetryDelays = [];
            configure?.Invoke(options);
        }, cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>The server's configuration keys, as environment variables, for this sandbox and its default template.</summary>
    public static Dictionary<string, string?> Environment(SandboxServer sandbox) => new(StringComparer.Ordinal)
    {
        ["OneMsg__BaseUrl"] = sandbox.BaseUrl.ToString(),
        ["OneMsg__ChannelId"] = sandbox.ChannelId,
        ["OneMsg__Token"] = sandbox.Token,
        ["OneMsg__Template__Name"] = "registration_otp",
        ["OneMsg__Template__Namespace"] = "otpgate_sandbox",
        ["OneMsg__Template__Language"] = "en",
    };
}
