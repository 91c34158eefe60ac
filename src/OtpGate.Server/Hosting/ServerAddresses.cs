using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace OtpGate.Server.Hosting;

/// <summary>The addresses Kestrel actually bound (so <c>--urls</c> and port 0 work), as a root URL this machine can call.</summary>
internal sealed class ServerAddresses(IServer server)
{
    /// <summary>The first bound address with a wildcard host replaced by loopback; null before the server listens.</summary>
    public Uri? LocalRoot
    {
        get
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
            if (addresses is null)
            {
                return null;
            }

            var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault();
            return chosen is null ? null : ToLocal(chosen);
        }
    }

    public static Uri ToLocal(string address)
    {
        // Kestrel reports wildcards as given ("http://+:5080", "http://*:5080") or as "0.0.0.0" / "[::]".
        var text = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
        var builder = new UriBuilder(text);
        builder.Host = builder.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        builder.Path = "/";
        return builder.Uri;
    }
}
