using System.Net;
using Microsoft.AspNetCore.Http;

namespace OtpGate.Sandbox.Access;

/// <summary>
/// Who may reach the sandbox. It shows every code it "sends" and lets anyone redirect its webhook, so unless
/// <see cref="SandboxOptions.AllowRemoteAccess"/> says otherwise it listens on loopback only and answers only requests
/// from this machine.
/// </summary>
internal static class SandboxAccess
{
    public const string SettingKey = "Sandbox:AllowRemoteAccess";

    /// <summary>
    /// True for an address only this machine can connect to: loopback IPs, <c>localhost</c>, Unix sockets and named
    /// pipes. Wildcards (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>), other IPs and host names are beyond it.
    /// </summary>
    public static bool IsLocalOnly(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false; // what cannot be read cannot be shown to be local
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return true;
        }

        return string.Equals(binding.Host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(binding.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>True when the request comes from this machine and not through a proxy.</summary>
    public static bool IsLocalRequest(HttpContext context)
    {
        // No address: an in-memory test server or a Unix socket, both reachable from this machine only.
        var remote = context.Connection.RemoteIpAddress;
        var localPeer = remote is null || IPAddress.IsLoopback(remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote);

        // A proxy on this machine (nginx, a tunnel such as ngrok) connects from loopback and names its client in these
        // headers: that client may be anywhere. (Behind UseForwardedHeaders the headers are consumed and the remote
        // address already is the client's.)
        var headers = context.Request.Headers;
        return localPeer && !headers.ContainsKey("X-Forwarded-For") && !headers.ContainsKey("Forwarded");
    }

    /// <summary>The one sentence that says why the sandbox will not listen on <paramref name="exposed"/>.</summary>
    public static string ExposedMessage(IReadOnlyList<string> exposed)
    {
        var port = BindingAddress.Parse(exposed[0]).Port;
        return $"The 1MSG sandbox would answer beyond this machine on {string.Join(", ", exposed)}, and it shows every code it \"sends\" "
            + $"and lets anyone redirect its webhook: listen on loopback only (e.g. --urls http://localhost:{port}), "
            + $"or set {SettingKey}=true if other machines must reach it.";
    }
}
