namespace OtpGate.Server.Hosting;

/// <summary>
/// Sends the embedded default's 1MSG calls to the sandbox mounted in this very server. The 1MSG client is configured
/// with <see cref="PlaceholderBaseUrl"/> before the server knows its port; each request is re-addressed to the port
/// actually bound.
/// </summary>
internal sealed class SandboxLoopbackHandler(ServerAddresses addresses) : DelegatingHandler
{
    public const string PlaceholderHost = "otpgate-sandbox.invalid";

    public static readonly Uri PlaceholderBaseUrl = new($"http://{PlaceholderHost}{OneMsgMode.SandboxPath}");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && string.Equals(uri.Host, PlaceholderHost, StringComparison.OrdinalIgnoreCase))
        {
            var root = addresses.LocalRoot
                ?? throw new HttpRequestException(HttpRequestError.ConnectionError, "The server is not listening yet, so the in-process 1MSG sandbox cannot be reached.");
            request.RequestUri = new UriBuilder(uri) { Scheme = root.Scheme, Host = root.Host, Port = root.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
