using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Api;

/// <summary>
/// The channel token, taken from the body field <c>token</c>, else <c>?token=</c>, else the Bearer
/// header: a body or query token wins over the header, as on 1MSG (a stale body token overrides a
/// good header). Compared in constant time; a refusal names the token only by its first characters.
/// </summary>
internal sealed class TokenCheck(IOptions<SandboxOptions> options)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Value.Token);
    private readonly string _channelId = options.Value.ChannelId;

    /// <summary>Null when the request may go on, else the 401 answer.</summary>
    public Refusal? Check(HttpContext context, string channelId, JsonElement? body = null)
    {
        var token = FromBody(body) ?? FromQuery(context.Request) ?? FromHeader(context.Request);
        var valid = token is not null
            && channelId == _channelId
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _expected);
        return valid
            ? null
            : Refusal.Error(
                StatusCodes.Status401Unauthorized,
                $"Wrong token \"{Mask(token)}\" for channel \"{channelId}\". Please provide token as a GET parameter or a Bearer header.");
    }

    /// <summary>The first 3 characters and <c>***</c>; only <c>***</c> for tokens too short to hide anything.</summary>
    internal static string Mask(string? token) => token switch
    {
        null or "" => "",
        { Length: < 8 } => "***",
        _ => string.Concat(token.AsSpan(0, 3), "***"),
    };

    private static string? FromBody(JsonElement? body) =>
        body is { } element && element.TryGetProperty("token", out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string? FromQuery(HttpRequest request) =>
        request.Query.TryGetValue("token", out var values) ? values.ToString() : null;

    private static string? FromHeader(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        return header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : null;
    }
}
