using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace OtpGate.Server.Tests.Support;

/// <summary>
/// An HttpClient whose connections leave from this machine's own non-loopback address: a server on 127.0.0.1 sees a
/// real remote address that is not loopback, as it would for another machine, with no proxy and nothing faked.
/// </summary>
public static class OtherAddressClient
{
    /// <summary>This machine's first IPv4 address that is up and not loopback; null when it has none.</summary>
    public static IPAddress? FindAddress() => NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address)
        .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));

    /// <summary>A client for <paramref name="root"/> from <see cref="FindAddress"/>; the test is skipped on a machine without one.</summary>
    public static HttpClient Create(Uri root)
    {
        var local = FindAddress();
        if (local is null)
        {
            Assert.Skip("This machine has no non-loopback IPv4 address to send a request from.");
        }

        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = root };
    }
}
