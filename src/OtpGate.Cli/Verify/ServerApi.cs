using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OtpGate.Cli.Verify;

/// <summary>
/// A thin client for a running OtpGate server's verification API (docs/architecture.md, "The HTTP API"): JSON in, JSON out, the API
/// key as a Bearer token. Problem details (RFC 9457) become one sentence with their <c>code</c>.
/// </summary>
internal sealed class ServerApi(HttpClient http, Uri server, string? apiKey)
{
    public Task<ServerAnswer> PostAsync(string path, JsonObject body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Url(path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return SendAsync(request, cancellationToken);
    }

    public Task<ServerAnswer> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, Url(path)), cancellationToken);

    public Task<ServerAnswer> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, Url(path)), cancellationToken);

    private Uri Url(string path) => new(server.GetLeftPart(UriPartial.Path).TrimEnd('/') + path);

    private async Task<ServerAnswer> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            if (!string.IsNullOrWhiteSpace(apiKey))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
            }

            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException e)
            {
                throw new CliException(ExitCodes.Unexpected,
                    $"Could not reach the OtpGate server at {server.GetLeftPart(UriPartial.Authority)} ({e.Message.TrimEnd('.')}). Start it with `otpgate serve`, or point --server (or OTPGATE_SERVER_URL) at it.");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new CliException(ExitCodes.Unexpected, $"The OtpGate server at {server.GetLeftPart(UriPartial.Authority)} did not answer within {http.Timeout.TotalSeconds:0} s.");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var parsed = Parse(text);
                return new ServerAnswer(response.StatusCode, parsed as JsonObject, response.Headers.RetryAfter?.Delta, parsed as JsonArray);
            }
        }
    }

    private static JsonNode? Parse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The server's answer: the status, the JSON body (null when it was not a JSON object), any <c>Retry-After</c>, and a list's items.</summary>
internal sealed record ServerAnswer(HttpStatusCode Status, JsonObject? Body, TimeSpan? RetryAfter, JsonArray? Items = null)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public string? Text(string name) => Body?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : Body?[name]?.ToJsonString();

    /// <summary>One sentence for a refusal: the problem's <c>code</c>, its detail (or title), and what to do for the usual ones.</summary>
    public string Sentence()
    {
        var code = Text("code");
        var detail = (Text("detail") ?? Text("title"))?.TrimEnd('.');
        // The wait, unless the detail says it already ("you can ask for another in 26 seconds", "in 5 minutes").
        var retry = RetryAfter is { } after && (detail is null || !Regex.IsMatch(detail, @"\bin (about )?\d+ (second|minute|hour)", RegexOptions.None, TimeSpan.FromSeconds(1)))
            ? $" Try again in {after.TotalSeconds:0} s."
            : "";
        var what = Status switch
        {
            HttpStatusCode.Unauthorized => "The server refused the API key; pass --api-key or set OTPGATE_API_KEY to a key from the server's Api:Keys.",
            HttpStatusCode.NotFound when code is null or "not_found" => "The server has no such verification.",
            _ => "",
        };
        var said = detail is null ? "" : $": {detail}.";
        return $"The server answered {(int)Status}{(code is null ? "" : " " + code)}{(said.Length == 0 ? "." : said)}{retry} {what}".TrimEnd();
    }
}
