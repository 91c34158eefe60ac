using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Services;

/// <summary>
/// Checks the <c>Services</c> section with the <c>Verification</c> options it is laid over, so a bad service stops the
/// server with the same one-sentence-per-problem start-up check (and <c>otpgate doctor</c>) as every other key.
/// </summary>
internal sealed class ServicesOptionsValidator(IConfiguration configuration) : IValidateOptions<VerificationOptions>
{
    public ValidateOptionsResult Validate(string? name, VerificationOptions options)
    {
        var (_, problems) = ServicesConfiguration.Read(configuration, options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
