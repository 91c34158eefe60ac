using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OtpGate.Sandbox;
using OtpGate.Sandbox.Sms;

namespace OtpGate.Channels.Sms.Tests.Support;

/// <summary>A started sandbox on fast timings, and plain form posts to its Twilio Messages endpoint.</summary>
public sealed class SmsSandbox : IAsyncDisposable
{
    private readonly HttpClient _http = new();

    private SmsSandbox(SandboxServer server) => Server = server;

    public SandboxServer Server { get; }

    public static string AccountSid => SandboxSmsOptions.DefaultAccountSid;

    public static string AuthToken => SandboxSmsOptions.DefaultAuthToken;

    public Uri MessagesUrl(string? accountSid = null) => new(Server.BaseUrl, $"2010-04-01/Accounts/{accountSid ?? AccountSid}/Messages.json");

    public static async Task<SmsSandbox> StartAsync() => new(await SandboxServer.StartAsync(o =>
    {
        o.SentAfter = TimeSpan.FromMilliseconds(20);
        o.DeliveredAfter = TimeSpan.FromMilliseconds(40);
        o.ReadAfter = TimeSpan.FromMilliseconds(60);
        o.SlowDeliveryAfter = TimeSpan.FromMilliseconds(200);
    }));

    /// <summary>POSTs the fields with Basic auth (<paramref name="user"/>/<paramref name="password"/>, the sandbox's account unless given; none when <paramref name="authorize"/> is false).</summary>
    public async Task<(int Status, JsonObject Body)> SendAsync(
        IEnumerable<KeyValuePair<string, string>> fields, string? user = null, string? password = null, bool authorize = true, string? accountSid = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl(accountSid)) { Content = new FormUrlEncodedContent(fields) };
        if (authorize)
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user ?? AccountSid}:{password ?? AuthToken}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }

        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return ((int)response.StatusCode, body);
    }

    public static List<KeyValuePair<string, string>> Fields(string to, string body = "Your code is 123456", string? from = "+15005550006", string? statusCallback = null, string? service = null)
    {
        List<KeyValuePair<string, string>> fields = [new("To", to), new("Body", body)];
        if (from is not null)
        {
            fields.Add(new("From", from));
        }

        if (service is not null)
        {
            fields.Add(new("MessagingServiceSid", service));
        }

        if (statusCallback is not null)
        {
            fields.Add(new("StatusCallback", statusCallback));
        }

        return fields;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Server.DisposeAsync();
    }
}
