using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Verifications;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// Who is signing up: the browser's sign-up session (a random id that owns its verifications), the verification in
/// progress, the name typed, and the phone (digits).
/// </summary>
public sealed record SignUpState(string SessionId, string VerificationId, string Name, string Phone)
{
    /// <summary>The session's verifications belong to it alone: another session, even for the same phone, gets its own.</summary>
    public VerificationOwner Owner => SignUpSession.OwnerOf(SessionId);
}

/// <summary>What the welcome page shows.</summary>
public sealed record WelcomeState(string Name, string Phone, bool Created, DateTimeOffset VerifiedAt);

/// <summary>
/// The sign-up state lives in encrypted, HTTP-only cookies (ASP.NET Core data protection), so neither the verification
/// id nor the phone appears in a URL, and nothing is kept on the server for a visitor who never finishes.
/// </summary>
public sealed class SignUpSession(IDataProtectionProvider dataProtection)
{
    public const string StateCookie = "otpgate_signup";
    public const string WelcomeCookie = "otpgate_welcome";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("OtpGate.Server.SignUp.v1");

    /// <summary>The session's state; null without a cookie, or with one from before sessions had an id (start over).</summary>
    public SignUpState? Read(HttpRequest request) => Read<SignUpState>(request, StateCookie) is { SessionId.Length: > 0 } state ? state : null;

    /// <summary>128 random bits, base64url: a new sign-up session.</summary>
    public static string NewSessionId() => SecretFile.RandomToken(16);

    /// <summary>
    /// The owner of a session's verifications. The id itself stays in the encrypted cookie; the database keeps only its
    /// SHA-256, so reading the database does not give anyone a session.
    /// </summary>
    public static VerificationOwner OwnerOf(string sessionId) =>
        new("signup:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)))[..22]);

    public void Save(HttpResponse response, SignUpState state) => Write(response, StateCookie, state);

    public void Clear(HttpResponse response) => response.Cookies.Delete(StateCookie, Options(response));

    public WelcomeState? ReadWelcome(HttpRequest request) => Read<WelcomeState>(request, WelcomeCookie);

    public void SaveWelcome(HttpResponse response, WelcomeState state) => Write(response, WelcomeCookie, state);

    private T? Read<T>(HttpRequest request, string name) where T : class
    {
        if (request.Cookies[name] is not { Length: > 0 } value)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(_protector.Unprotect(value));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
        {
            return null; // from an older key, or tampered with: start over
        }
    }

    private void Write<T>(HttpResponse response, string name, T value) =>
        response.Cookies.Append(name, _protector.Protect(JsonSerializer.Serialize(value)), Options(response));

    private static CookieOptions Options(HttpResponse response) => new()
    {
        HttpOnly = true,
        Secure = response.HttpContext.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = "/",
        IsEssential = true,
    };
}
