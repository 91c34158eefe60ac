using Microsoft.Extensions.Options;
using OtpGate.Verification.Phones;

namespace OtpGate.Verification;

/// <summary>Checks <see cref="VerificationOptions"/> at start-up, each problem in a full sentence naming its key.</summary>
/// <param name="keyName">
/// How a sentence names a setting, given its key under the section (<c>CodeLength</c>, <c>Dispatch:Lease</c>):
/// <c>Verification:CodeLength</c> by default; a service's own key (<c>Services:shop:CodeLength</c>) or an API field
/// (<c>settings.codeLength</c>) when it checks a service's settings.
/// </param>
public sealed class VerificationOptionsValidator(Func<string, string> keyName) : IValidateOptions<VerificationOptions>
{
    public VerificationOptionsValidator()
        : this(key => $"{VerificationOptions.SectionName}:{key}")
    {
    }

    public ValidateOptionsResult Validate(string? name, VerificationOptions o)
    {
        var errors = new List<string>();
        void Require(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Require(o.CodeLength is >= 4 and <= 10, $"{keyName("CodeLength")} is {o.CodeLength}; it must be between 4 and 10 digits (6 is the default; WhatsApp allows at most 15 characters).");
        Require(o.CodeLifetime >= TimeSpan.FromMinutes(1) && o.CodeLifetime <= TimeSpan.FromMinutes(30), $"{keyName("CodeLifetime")} is {o.CodeLifetime}; it must be between 00:01:00 and 00:30:00 (NIST recommends at most 10 minutes).");
        if (o.MaxMessageTtl is { } ttl)
        {
            Require(ttl >= TimeSpan.FromSeconds(30) && ttl <= TimeSpan.FromSeconds(900), $"{keyName("MaxMessageTtl")} is {ttl}; WhatsApp accepts 30 to 900 seconds for authentication templates.");
            Require(ttl <= o.CodeLifetime, $"{keyName("MaxMessageTtl")} ({ttl}) must not exceed {keyName("CodeLifetime")} ({o.CodeLifetime}): a message delivered after its code expired is useless. Leave it unset to follow the code lifetime.");
        }

        Require(o.MaxAttempts is >= 1 and <= 10, $"{keyName("MaxAttempts")} is {o.MaxAttempts}; it must be between 1 and 10 (5 is the default).");
        Require(o.MaxFailedChecksPerPhone is >= 1 and <= 100, $"{keyName("MaxFailedChecksPerPhone")} is {o.MaxFailedChecksPerPhone}; it must be between 1 and 100 (NIST SP 800-63B allows at most 100).");
        Require(o.MaxFailedChecksPerPhone >= o.MaxAttempts, $"{keyName("MaxFailedChecksPerPhone")} ({o.MaxFailedChecksPerPhone}) must not be smaller than {keyName("MaxAttempts")} ({o.MaxAttempts}), or a single verification could never use its attempts.");
        Require(o.FailedChecksWindow > TimeSpan.Zero, $"{keyName("FailedChecksWindow")} must be positive, e.g. 1.00:00:00.");
        Require(o.FailedChecksBeforeDelay is >= 1 and <= 100, $"{keyName("FailedChecksBeforeDelay")} is {o.FailedChecksBeforeDelay}; it must be between 1 and 100 (5 is the default).");
        Require(o.FailedCheckDelay > TimeSpan.Zero && o.FailedCheckDelay <= o.MaxFailedCheckDelay,
            $"{keyName("FailedCheckDelay")} ({o.FailedCheckDelay}) must be positive and not longer than {keyName("MaxFailedCheckDelay")} ({o.MaxFailedCheckDelay}); the defaults are 00:00:30 and 01:00:00.");
        Require(o.MaxFailedCheckDelay <= o.FailedChecksWindow, $"{keyName("MaxFailedCheckDelay")} ({o.MaxFailedCheckDelay}) must not be longer than {keyName("FailedChecksWindow")} ({o.FailedChecksWindow}).");
        Require(o.MaxSendsPerVerification is >= 1 and <= 10, $"{keyName("MaxSendsPerVerification")} is {o.MaxSendsPerVerification}; it must be between 1 and 10 (5 is the default).");
        Require(o.ResendCooldown >= TimeSpan.Zero && o.ResendCooldown <= TimeSpan.FromMinutes(10), $"{keyName("ResendCooldown")} is {o.ResendCooldown}; it must be between 0 and 10 minutes (30 seconds is the default).");
        Require(o.MaxSendsPerPhonePer10Minutes >= 1, $"{keyName("MaxSendsPerPhonePer10Minutes")} must be at least 1.");
        Require(o.MaxSendsPerPhonePerDay >= o.MaxSendsPerPhonePer10Minutes, $"{keyName("MaxSendsPerPhonePerDay")} ({o.MaxSendsPerPhonePerDay}) must not be smaller than {keyName("MaxSendsPerPhonePer10Minutes")} ({o.MaxSendsPerPhonePer10Minutes}).");
        Require(o.MaxStartsPerIpPer10Minutes >= 1, $"{keyName("MaxStartsPerIpPer10Minutes")} must be at least 1.");
        Require(o.DailySendBudget >= 0, $"{keyName("DailySendBudget")} must be 0 (no budget) or a positive number of messages per UTC day.");
        Require(o.SameCodeMinRemaining >= TimeSpan.Zero && o.SameCodeMinRemaining < o.CodeLifetime, $"{keyName("SameCodeMinRemaining")} ({o.SameCodeMinRemaining}) must be shorter than {keyName("CodeLifetime")} ({o.CodeLifetime}).");
        Require(o.IdempotencyWindow > TimeSpan.Zero, $"{keyName("IdempotencyWindow")} must be positive, e.g. 1.00:00:00.");
        Require(o.Retention >= TimeSpan.FromHours(1), $"{keyName("Retention")} is {o.Retention}; keep records at least an hour (30 days is the default).");
        Require(o.UnknownReceiptRetention >= TimeSpan.FromMinutes(1) && o.UnknownReceiptRetention <= o.Retention,
            $"{keyName("UnknownReceiptRetention")} is {o.UnknownReceiptRetention}; it must be between 00:01:00 and {keyName("Retention")} ({o.Retention}): a status for a message id no send has waits only until its send is recorded, usually seconds (06:00:00 is the default).");
        Require(o.MaxUnknownReceipts is >= 10 and <= 1_000_000,
            $"{keyName("MaxUnknownReceipts")} is {o.MaxUnknownReceipts}; it must be between 10 and 1,000,000 (10,000 is the default).");
        ValidateCountries(o.AllowedCountries, "AllowedCountries", errors);
        ValidateCountries(o.DeniedCountries, "DeniedCountries", errors);
        ValidateTestNumbers(o, errors);
        ValidateDispatch(o.Dispatch, errors);
        ValidateSms(o.Sms, errors);

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private void ValidateCountries(List<string> regions, string key, List<string> errors)
    {
        foreach (var region in regions)
        {
            if (region.Length != 2 || !region.All(char.IsAsciiLetter))
            {
                errors.Add($"{keyName(key)} contains \"{region}\"; use two-letter ISO 3166-1 region codes such as \"US\" or \"BR\".");
            }
        }
    }

    private void ValidateTestNumbers(VerificationOptions o, List<string> errors)
    {
        foreach (var (phone, code) in o.TestNumbers)
        {
            var parsed = PhoneNumberParser.Parse(phone);
            if (!parsed.IsValid)
            {
                errors.Add($"{keyName("TestNumbers")} has a number that is not valid ({parsed.Message}) Use the international format, e.g. \"+1 212 555 0199\".");
            }

            if (code is null || code.Length != o.CodeLength || !code.All(char.IsAsciiDigit))
            {
                // The code itself is not repeated: configuration errors end up in logs.
                errors.Add($"{keyName("TestNumbers")} has a code for {PhoneMasking.Mask(phone)} that is not {o.CodeLength} digits; test codes must look like real ones.");
            }
        }
    }

    private void ValidateSms(Services.SmsSettings sms, List<string> errors)
    {
        if (sms.DeliveryDeadline < TimeSpan.FromSeconds(5) || sms.DeliveryDeadline > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{keyName("Sms:DeliveryDeadline")} is {sms.DeliveryDeadline}; it must be between 00:00:05 and 00:10:00 (15 seconds is the default): WhatsApp usually delivers within a few seconds.");
        }

        if (sms.MaxPerPhonePerDay is < 1 or > 100)
        {
            errors.Add($"{keyName("Sms:MaxPerPhonePerDay")} is {sms.MaxPerPhonePerDay}; it must be between 1 and 100 (3 is the default); turn SMS off with {keyName("Sms:Fallback")} = false instead.");
        }

        foreach (var (locale, text) in sms.Texts)
        {
            if (string.IsNullOrWhiteSpace(text) || !text.Contains(Channels.CodeText.CodePlaceholder, StringComparison.Ordinal) || text.Length > 600)
            {
                errors.Add($"{keyName("Sms:Texts:" + locale)} must contain {Channels.CodeText.CodePlaceholder} and be at most 600 characters, e.g. \"{{code}} is your {{service}} code. It expires in {{minutes}} minutes.\"");
            }
        }

        if (sms.WebOtpDomain is { } domain && !Channels.CodeText.IsHostName(domain))
        {
            errors.Add($"{keyName("Sms:WebOtpDomain")} is \"{domain}\"; it must be a host name such as \"example.com\" (no scheme, port or path): the site the code is for.");
        }
    }

    private void ValidateDispatch(DispatchOptions d, List<string> errors)
    {
                if (d.ChannelRatePerSecond is < 1 or > 1000)
        {
            errors.Add($"{keyName("Dispatch:ChannelRatePerSecond")} is {d.ChannelRatePerSecond}; WhatsApp numbers send 80 messages per second by default and at most 1,000.");
        }

        if (d.MaxConcurrency is < 1 or > 1024)
        {
            errors.Add($"{keyName("Dispatch:MaxConcurrency")} is {d.MaxConcurrency}; it must be between 1 and 1024.");
        }

        if (d.Lease < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{keyName("Dispatch:Lease")} must be at least one second, e.g. 00:01:00 (it is extended every third of itself while a send is in flight; it bounds how long a dead instance's jobs wait).");
        }

        if (d.PollInterval <= TimeSpan.Zero || d.RetryBaseDelay <= TimeSpan.Zero || d.RetryMaxDelay < d.RetryBaseDelay || d.StatusPollAfter <= TimeSpan.Zero || d.SweepInterval <= TimeSpan.Zero)
        {
            errors.Add($"{keyName("Dispatch")}: PollInterval, RetryBaseDelay, StatusPollAfter and SweepInterval must be positive, and RetryMaxDelay at least RetryBaseDelay.");
        }
    }
}
