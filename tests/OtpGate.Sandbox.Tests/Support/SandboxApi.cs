using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace OtpGate.Sandbox.Tests.Support;

/// <summary>An answer from the sandbox: status, Retry-After, raw text and parsed JSON.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, string Text, string? RetryAfter)
{
    public JsonNode Json => JsonNode.Parse(Text)!;

    public string? Message => Json["message"]?.GetValue<string>();
}

/// <summary>Talks to a sandbox over real HTTP, sending the token as a Bearer header unless told otherwise.</summary>
public sealed class SandboxApi(Uri baseUrl, string channelId = "sandbox", string token = "sandbox-token") : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public string ChannelUrl => $"{baseUrl.ToString().TrimEnd('/')}/{channelId}";

    public Task<ApiAnswer> SendAsync(JsonNode body, string? bearer = null, string? query = null) =>
        PostRawAsync("sendTemplate", body.ToJsonString(), bearer, query);

    public async Task<ApiAnswer> PostRawAsync(string method, string body, string? bearer = null, string? query = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ChannelUrl}/{method}{query}");
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? token);
        return await SendRequestAsync(request);
    }

    /// <summary>POSTs <c>application/x-www-form-urlencoded</c> fields, in order (a key may repeat).</summary>
    public async Task<ApiAnswer> PostFormAsync(string method, params (string Key, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{ChannelUrl}/{method}");
        request.Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await SendRequestAsync(request);
    }

    public async Task<ApiAnswer> GetAsync(string methodAndQuery, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{ChannelUrl}/{methodAndQuery}");
        if (bearer != "")
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? token);
        }

        return await SendRequestAsync(request);
    }

    public async Task<ApiAnswer> GetAbsoluteAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        return await SendRequestAsync(request);
    }

    public async Task<ApiAnswer> SendRequestAsync(HttpRequestMessage request)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return new ApiAnswer(response.StatusCode, text, response.Headers.RetryAfter?.ToString());
    }

    public void Dispose() => _http.Dispose();
}
