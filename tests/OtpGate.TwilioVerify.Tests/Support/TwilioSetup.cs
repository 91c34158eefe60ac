using Twilio;
using Twilio.Clients;
using Twilio.Http;

namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>
/// Points Twilio's static client at OtpGate exactly as README's "Coming from Twilio Verify" shows: the application's
/// own <c>TwilioClient.Init</c>, then a <c>TwilioRestClient</c> over <c>SystemNetHttpClient</c> with the redirecting
/// handler, set after <c>Init</c> (an <c>Init</c> with other credentials drops a client set before it).
/// </summary>
public static class TwilioSetup
{
    public static void UseOtpGate(Uri otpGate, string accountSid, string authToken)
    {
        var http = new System.Net.Http.HttpClient(new RedirectToOtpGate(otpGate) { InnerHandler = new HttpClientHandler() });
        TwilioClient.Init(accountSid, authToken);
        TwilioClient.SetRestClient(new TwilioRestClient(accountSid, authToken, httpClient: new SystemNetHttpClient(http)));
    }

    /// <summary>With an API key: its sid and secret sign the requests, the account sid comes third (as Twilio documents).</summary>
    public static void UseOtpGate(Uri otpGate, string apiKeySid, string apiKeySecret, string accountSid)
    {
        var http = new System.Net.Http.HttpClient(new RedirectToOtpGate(otpGate) { InnerHandler = new HttpClientHandler() });
        TwilioClient.Init(apiKeySid, apiKeySecret, accountSid);
        TwilioClient.SetRestClient(new TwilioRestClient(apiKeySid, apiKeySecret, accountSid, httpClient: new SystemNetHttpClient(http)));
    }

    /// <summary>
    /// As <see cref="UseOtpGate(Uri, string, string)"/>, with <paramref name="seen"/> recording every URL the library
    /// asked for before the handler redirected it (to show which URL it fetched a second page from).
    /// </summary>
    public static void UseOtpGateRecording(Uri otpGate, string accountSid, string authToken, List<Uri> seen)
    {
        var redirect = new RedirectToOtpGate(otpGate) { InnerHandler = new HttpClientHandler() };
        var http = new System.Net.Http.HttpClient(new Recording(seen) { InnerHandler = redirect });
        TwilioClient.Init(accountSid, authToken);
        TwilioClient.SetRestClient(new TwilioRestClient(accountSid, authToken, httpClient: new SystemNetHttpClient(http)));
    }

    private sealed class Recording(List<Uri> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(request.RequestUri!);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
