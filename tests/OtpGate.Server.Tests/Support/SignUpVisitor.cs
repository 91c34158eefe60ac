using System.Net;
using System.Text.RegularExpressions;

namespace OtpGate.Server.Tests.Support;

/// <summary>
/// One visitor of the sign-up pages over real HTTP, with its own cookies, posting the forms as a browser does
/// (anti-forgery token included) and not following redirects, so a test sees where each answer sends it.
/// </summary>
public sealed partial class SignUpVisitor : IDisposable
{
    private readonly ServerFactory _server;
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _client;

    public SignUpVisitor(ServerFactory server)
    {
        _server = server;
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = server.Root };
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fills in the first form; the answer redirects to /Verify when the code was sent.</summary>
    public Task<HttpResponseMessage> SignUpAsync(string name, string phone) =>
        PostFormAsync("/", "/", new() { ["Name"] = name, ["Phone"] = phone });

    public Task<HttpResponseMessage> CheckAsync(string code) => PostFormAsync("/Verify", "/Verify?handler=Check", new() { ["Code"] = code });

    public Task<HttpResponseMessage> AskForNewCodeAsync() => PostFormAsync("/Verify", "/Verify?handler=Resend", []);

    /// <summary>"Send by SMS instead" on the code page.</summary>
    public Task<HttpResponseMessage> AskForSmsAsync() => PostFormAsync("/Verify", "/Verify?handler=SendSms", []);

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path, Ct);

    /// <summary>
    /// The page a form post sends the visitor to (every post answers 303, post/redirect/get), fetched as the browser
    /// does; what the post had to say is on it, once.
    /// </summary>
    public async Task<string> FollowAsync(HttpResponseMessage posted)
    {
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        return await _client.GetStringAsync(Location(posted), Ct);
    }

    /// <summary>Where an answer sends the visitor ("/Verify", "/Welcome", "/"), or null when it is a page.</summary>
    public static string? Location(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther ? response.Headers.Location?.OriginalString : null;

    /// <summary>The visitor's cookies, as a Cookie header.</summary>
    public string CookieHeader => _cookies.GetCookieHeader(_server.Root);

    /// <summary>Takes another visitor's cookies as its own (a copied cookie).</summary>
    public void UseCookies(string header) => _cookies.SetCookies(_server.Root, header.Replace("; ", ",", StringComparison.Ordinal));

    private async Task<HttpResponseMessage> PostFormAsync(string pagePath, string postPath, Dictionary<string, string> fields)
    {
        var page = await _client.GetStringAsync(pagePath, Ct);
        fields["__RequestVerificationToken"] = AntiForgeryToken().Match(page).Groups[1].Value;
        return await _client.PostAsync(postPath, new FormUrlEncodedContent(fields), Ct);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryToken();
}
