using Microsoft.Extensions.Configuration;

namespace OtpGate.Server.Hosting;

/// <summary>
/// Which 1MSG the server talks to, decided once at start from the configuration. With none of <c>OneMsg:BaseUrl</c>,
/// <c>OneMsg:ChannelId</c> and <c>OneMsg:Token</c> configured it is the embedded default: the sandbox, registered and
/// mounted in-process at <c>/sandbox</c>. Setting them switches to a real 1MSG channel, and the sandbox is not there at all.
/// </summary>
public sealed class OneMsgMode(bool isSandbox)
{
    public const string SandboxPath = "/sandbox";

    /// <summary>A real channel: what <c>otpgate</c> checks and talks to.</summary>
    public static readonly OneMsgMode RealChannel = new(false);

    public bool IsSandbox { get; } = isSandbox;

    public static OneMsgMode From(IConfiguration configuration) => new(
        string.IsNullOrWhiteSpace(configuration["OneMsg:BaseUrl"])
        && string.IsNullOrWhiteSpace(configuration["OneMsg:ChannelId"])
        && string.IsNullOrWhiteSpace(configuration["OneMsg:Token"]));
}
