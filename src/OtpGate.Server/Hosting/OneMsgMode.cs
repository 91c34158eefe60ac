using Microsoft.Extensions.Configuration;

namespace OtpGate.Server.Hosting;

/// <summary>
/// Which 1MSG the server talks to. With none of <c>OneMsg:BaseUrl</c>, <c>OneMsg:ChannelId</c> and <c>OneMsg:Token</c>
/// configured it is the embedded default: the sandbox mounted in-process at <c>/sandbox</c>. Setting them switches
/// to a real 1MSG channel and nothing else changes.
/// </summary>
public sealed class OneMsgMode(bool isSandbox)
{
    public const string SandboxPath = "/sandbox";

    public bool IsSandbox { get; } = isSandbox;

    public static OneMsgMode From(IConfiguration configuration) => new(
        string.IsNullOrWhiteSpace(configuration["OneMsg:BaseUrl"])
        && string.IsNullOrWhiteSpace(configuration["OneMsg:ChannelId"])
        && string.IsNullOrWhiteSpace(configuration["OneMsg:Token"]));
}
