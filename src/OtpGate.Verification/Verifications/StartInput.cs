using System.Net;
using OtpGate.Verification.Phones;

namespace OtpGate.Verification.Verifications;

/// <summary>A start request once read: the number parsed (once), defaults filled in, the address normalised.</summary>
internal sealed record StartInput(
    PhoneNumber Phone,
    string Purpose,
    string Locale,
    string? ClientIp,
    string? TestCode,
    IdempotencyKeys.Key? Idempotency)
{
    public const string DefaultPurpose = "registration";
    public const string DefaultLocale = "en";

    public bool IsTest => TestCode is not null;

    /// <summary>The fields' rules, checked before anything is read or written; null when they hold.</summary>
    public static Refused? Validate(StartRequest request)
    {
        static bool Bad(string? value, int max) => value is not null && (value.Length > max || value.Any(char.IsControl));
        if (Bad(request.Purpose, 64) || (request.Purpose is { Length: > 0 } p && !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            return new Refused(Refusal.InvalidRequest, "purpose must be at most 64 letters, digits, '_', '-' or '.', e.g. \"registration\".");
        }

        if (Bad(request.Locale, 16) || (request.Locale is { Length: > 0 } l && !l.All(c => char.IsAsciiLetter(c) || c is '_' or '-')))
        {
            return new Refused(Refusal.InvalidRequest, "locale must be a language code such as \"en\" or \"pt_BR\".");
        }

        if (Bad(request.ClientRef, 128))
        {
            return new Refused(Refusal.InvalidRequest, "clientRef must be at most 128 characters.");
        }

        if (request.ClientIp is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
        {
            return new Refused(Refusal.InvalidRequest, "clientIp must be an IPv4 or IPv6 address, e.g. \"203.0.113.7\".");
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > 255 || key.Any(char.IsControl)))
        {
            return new Refused(Refusal.InvalidRequest, "The Idempotency-Key must be 1 to 255 printable characters.");
        }

        if (request.Metadata is { } metadata && (metadata.Count > 16 || metadata.Any(pair => Bad(pair.Key, 64) || Bad(pair.Value, 256))))
        {
            return new Refused(Refusal.InvalidRequest, "metadata may hold at most 16 entries, with keys up to 64 and values up to 256 characters.");
        }

        return null;
    }

    /// <summary>The request's purpose, or the default.</summary>
    public static string PurposeOf(StartRequest request) => string.IsNullOrWhiteSpace(request.Purpose) ? DefaultPurpose : request.Purpose.Trim();

    /// <summary>The request's locale, or the default.</summary>
    public static string LocaleOf(StartRequest request) => string.IsNullOrWhiteSpace(request.Locale) ? DefaultLocale : request.Locale.Trim();

    /// <summary>The address in one spelling (an IPv4-mapped IPv6 address as IPv4), or null.</summary>
    public static string? NormalizeIp(string? ip) =>
        ip is { Length: > 0 } && IPAddress.TryParse(ip, out var address)
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
}
