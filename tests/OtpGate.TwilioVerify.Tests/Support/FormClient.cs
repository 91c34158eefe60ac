using System.Net;
using System.Text.Json.Nodes;

namespace OtpGate.TwilioVerify.Tests.Support;

/// <summary>An answer of the <c>/v2</c> surface: its HTTP status and its JSON body (null for an empty body).</summary>
public sealed record Answer(HttpStatusCode Status, JsonObject? Body, string? MediaType)
{
    public JsonObject Json => Body ?? throw new InvalidOperationException($"The {(int)Status} answer had no JSON body.");
}

/// <summary>Plain HTTP as Twilio's libraries send it: form-encoded bodies, JSON answers.</summary>
public static class FormClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Answer> PostAsync(this HttpClient client, string path, params (string Name, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(field => KeyValuePair.Create(field.Name, field.Value)));
        using var response = await client.PostAsync(path, content, Ct);
        return await ReadAsync(response);
    }

    /// <summary>A GET of a path, or of an absolute URL the server gave (as <c>next_page_url</c>).</summary>
    public static async Task<Answer> GetAnswerAsync(this HttpClient client, string pathOrUrl)
    {
        using var response = await client.GetAsync(pathOrUrl, Ct);
        return await ReadAsync(response);
    }

    public static async Task<Answer> DeleteAnswerAsync(this HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path, Ct);
        return await ReadAsync(response);
    }

    private static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text)!.AsObject(), mediaType);
    }
}
