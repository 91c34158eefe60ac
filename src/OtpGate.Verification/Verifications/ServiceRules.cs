using OtpGate.Verification.Limits;
using OtpGate.Verification.Phones;
using OtpGate.Verification.Services;

namespace OtpGate.Verification.Verifications;

/// <summary>
/// A service's settings as the engine uses them, built once per service version: its options laid over the global
/// ones, its limits, and its test numbers parsed.
/// </summary>
internal sealed class ServiceRules
{
    public ServiceRules(Service service, VerificationOptions global)
    {
        Service = service;
        Options = service.Settings.Over(global);
        Limits = new LimitPolicy(Options);
        TestCodes = Options.TestNumbers
            .Select(pair => (Number: PhoneNumberParser.Parse(pair.Key), Code: pair.Value))
            .Where(pair => pair.Number.IsValid)
            .ToDictionary(pair => pair.Number.Number!.Digits, pair => pair.Code);
    }

    public Service Service { get; }

    public VerificationOptions Options { get; }

    public LimitPolicy Limits { get; }

    /// <summary>Test numbers (E.164 digits) and their fixed codes.</summary>
    public IReadOnlyDictionary<string, string> TestCodes { get; }

    public bool IsCountryAllowed(string region) =>
        !Options.DeniedCountries.Contains(region, StringComparer.OrdinalIgnoreCase)
        && (Options.AllowedCountries.Count == 0 || Options.AllowedCountries.Contains(region, StringComparer.OrdinalIgnoreCase));

    /// <summary>The wait after the n-th send before another: the base cooldown, doubling with each send.</summary>
    public TimeSpan CooldownAfter(int sends) => Options.ResendCooldown * Math.Pow(2, Math.Max(0, sends - 1));
}
