using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace OtpGate.Server.SignUp;

/// <summary>Who is signing up: the verification in progress, the name typed, and the phone (digits).</summary>
public sealed record SignUpState(string VerificationId, string Name, string Phone);

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

    public SignUpState? Read(HttpRequest request) => Read<SignUpState>(request, StateCookie);

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
