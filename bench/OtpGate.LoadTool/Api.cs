using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OtpGate.LoadTool;

/// <summary>The few calls the tool makes: OtpGate's start and check, and the sandbox's message list.</summary>
internal sealed class Api : IDisposable
{
    private readonly HttpClient _otpgate;
    private readonly HttpClient? _sandbox;

    public Api(string api, string key, string? sandbox, int connections)
    {
        _otpgate = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(api.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        _otpgate.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (sandbox is not null)
        {
            _sandbox = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections })
            {
                BaseAddress = new Uri(sandbox.TrimEnd('/') + "/"),
                Timeout = TimeSpan.FromSeconds(30),
            };
        }
    }

    /// <summary>Starts a verification; returns its id, or null with the status code when it was refused.</summary>
    public async Task<(string? Id, int Status)> StartAsync(long n, CancellationToken cancellationToken)
    {
        var body = $$"""{"phone":"+{{BenchPhones.Digits(n)}}","clientIp":"{{BenchPhones.Ip(n)}}"}""";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _otpgate.PostAsync("v1/verifications", content, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return (null, (int)response.StatusCode);
        }

        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return (json.RootElement.GetProperty("id").GetString(), 201);
    }

    /// <summary>Checks a code; returns the status code and the parsed answer.</summary>
    public async Task<(int Status, JsonDocument Body)> CheckAsync(string id, string code, CancellationToken cancellationToken)
    {
        using var content = new StringContent($$"""{"code":"{{code}}"}""", Encoding.UTF8, "application/json");
        using var response = await _otpgate.PostAsync($"v1/verifications/{id}/check", content, cancellationToken);
        var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return ((int)response.StatusCode, json);
    }

    public async Task<JsonDocument> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await _otpgate.GetAsync($"v1/verifications/{id}", cancellationToken);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
    }

    /// <summary>The latest message the sandbox's phone received: (code, message id, status), or null when none yet.</summary>
    public async Task<(string Code, string MessageId, string Status)?> LatestMessageAsync(long n, CancellationToken cancellationToken)
    {
        using var response = await _sandbox!.GetAsync($"_sandbox/messages?phone={BenchPhones.Digits(n)}", cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (json.RootElement.ValueKind != JsonValueKind.Array || json.RootElement.GetArrayLength() == 0)
        {
            return null;
        }

        var last = json.RootElement[json.RootElement.GetArrayLength() - 1];
        return (last.GetProperty("code").GetString()!, last.GetProperty("id").GetString()!, last.GetProperty("status").GetString()!);
    }

    public void Dispose()
    {
        _otpgate.Dispose();
        _sandbox?.Dispose();
    }
}
