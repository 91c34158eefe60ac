using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace OtpGate.Channels.Sms.Twilio;

/// <summary>
/// The few calls of Twilio's REST API the SMS channel and <c>otpgate doctor</c> make: send a message, fetch one, fetch
/// the account, look up a number of the account, fetch a Messaging Service. Registered as a typed HttpClient with a
/// per-attempt timeout and retries only where they cannot send twice (<see cref="TwilioResilience"/>). Every call answers
/// a <see cref="TwilioAnswer"/>, never throws for Twilio's refusal or a transport failure (the caller's cancellation
/// still throws). The credentials travel only in the <c>Authorization</c> header.
/// </summary>
public sealed class TwilioMessagingClient(HttpClient http, IOptions<SmsOptions> options, TimeProvider time)
{
    public const string ApiVersion = "2010-04-01";

    private TwilioSmsOptions Twilio => options.Value.Twilio;

    private string AccountRoot => $"{Root(Twilio.BaseUrl)}/{ApiVersion}/Accounts/{Uri.EscapeDataString(Twilio.AccountSid.Trim())}";

    /// <summary><c>POST /2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded.</summary>
    public Task<TwilioAnswer> SendAsync(IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Post, new Uri(AccountRoot + "/Messages.json"), new FormUrlEncodedContent(form), cancellationToken);

    /// <summary><c>GET /2010-04-01/Accounts/{AccountSid}/Messages/{Sid}.json</c>: the message's status now.</summary>
    public Task<TwilioAnswer> FetchMessageAsync(string sid, CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, new Uri($"{AccountRoot}/Messages/{Uri.EscapeDataString(sid)}.json"), null, cancellationToken);

    /// <summary><c>GET /2010-04-01/Accounts/{AccountSid}.json</c>: whether the credentials are accepted, and the account's status.</summary>
    public Task<TwilioAnswer> FetchAccountAsync(CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, new Uri(AccountRoot + ".json"), null, cancellationToken);

    /// <summary><c>GET .../IncomingPhoneNumbers.json?PhoneNumber=</c>: the account's numbers equal to <paramref name="e164"/>.</summary>
    public Task<TwilioAnswer> FindIncomingNumberAsync(string e164, CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, new Uri($"{AccountRoot}/IncomingPhoneNumbers.json?PhoneNumber={Uri.EscapeDataString(e164)}"), null, cancellationToken);

    /// <summary><c>GET https://messaging.twilio.com/v1/Services/{sid}</c> (see <see cref="MessagingRoot"/>).</summary>
    public Task<TwilioAnswer> FetchMessagingServiceAsync(string sid, CancellationToken cancellationToken) =>
        ExchangeAsync(HttpMethod.Get, new Uri($"{MessagingRoot(Twilio.BaseUrl)}/v1/Services/{Uri.EscapeDataString(sid)}"), null, cancellationToken);

    /// <summary>
    /// Messaging Services live on another host: <c>api.twilio.com</c> (or a regional <c>api.{edge}.{region}.twilio.com</c>)
    /// becomes <c>messaging.…twilio.com</c>; any other base (a stand-in) serves both under its own root.
    /// </summary>
    public static string MessagingRoot(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var host = baseUrl.Host;
        return host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) && host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase)
            ? new UriBuilder(baseUrl) { Host = "messaging." + host[4..], Path = "" }.Uri.GetLeftPart(UriPartial.Authority)
            : Root(baseUrl);
    }

    private static string Root(Uri baseUrl) => baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');

    private async Task<TwilioAnswer> ExchangeAsync(HttpMethod method, Uri uri, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        var (user, password) = Twilio.Credentials;
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return TwilioAnswer.From((int)response.StatusCode, body, TwilioTransportFailure.RetryAfter(response.Headers, time.GetUtcNow()));
        }
        catch (Exception e) when (TwilioTransportFailure.IsTransportFailure(e, cancellationToken))
        {
            var (transport, words) = TwilioTransportFailure.Classify(e, cancellationToken);
            var timeout = Twilio.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            var failure = transport == TwilioTransport.TimedOut ? $"Twilio did not answer within {timeout} s" : $"{words} ({Twilio.BaseUrl.Authority})";
            return new TwilioAnswer(transport, null, null, null, failure);
        }
    }
}
