using Microsoft.Extensions.Options;

namespace OtpGate.Server.SignUpDemo;

/// <summary>The sign-up demo's own settings (<c>SignUp</c> section).</summary>
public sealed class SignUpOptions
{
    public const string SectionName = "SignUp";

    /// <summary>
    /// The region (ISO 3166-1 alpha-2, e.g. <c>US</c>) a number typed without <c>+</c> is read in, as a national number
    /// (<c>212 555 0100</c>). Unset, a number without <c>+</c> is read as starting with its country code.
    /// </summary>
    public string? DefaultRegion { get; set; }
}

/// <summary>A default region must be one libphonenumber knows, said in a sentence at start-up.</summary>
internal sealed class SignUpOptionsValidator : IValidateOptions<SignUpOptions>
{
    public ValidateOptionsResult Validate(string? name, SignUpOptions options) =>
        options.DefaultRegion is not { Length: > 0 } region || SignUpPhone.IsKnownRegion(region)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"SignUp:DefaultRegion must be a two-letter region code such as US, GB or BR (got '{region}'); leave it unset to require the country code.");
}
