namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// What a Twilio application adds to reach OtpGate (README, "Coming from Twilio Verify"): a handler under the library's
/// own <c>SystemNetHttpClient</c> that sends every request to OtpGate's scheme, host and port, keeping path and query.
/// Twilio's C# library has no base-address setting; this also covers region and edge hosts and the absolute
/// <c>next_page_url</c> of a list page.
/// </summary>
public sealed class RedirectToOtpGate(Uri target) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.RequestUri = new UriBuilder(request.RequestUri!)
            { Scheme = target.Scheme, Host = target.Host, Port = target.Port }.Uri;
        return base.SendAsync(request, cancellationToken);
    }
}
