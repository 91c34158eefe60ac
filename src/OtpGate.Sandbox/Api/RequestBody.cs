using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// Reads a request body the way 1MSG does: a JSON object, or (its contract allows it for sendTemplate, settings and
/// webhook) <c>application/x-www-form-urlencoded</c> fields, turned into the same object by <see cref="FormBody"/>.
/// </summary>
internal static class RequestBody
{
    private const int MaxBytes = 256 * 1024;

    /// <summary>The body as a JSON object, or null when it is empty, malformed, too large or not an object.</summary>
    public static async Task<JsonElement?> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        if (request.HasFormContentType && !request.ContentType!.Contains("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return await FormBody.ReadAsync(request, MaxBytes, cancellationToken);
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? GetString(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
