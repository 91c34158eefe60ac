using Microsoft.Extensions.Configuration;

namespace OtpGate.Verification.Services;

/// <summary>
/// The services the configuration declares: the default one from today's <c>Verification</c> section, and one per
/// <c>Services:&lt;name&gt;</c>, each key it leaves out taken from <c>Verification</c> (so a service states only how it
/// differs). <c>Services:default</c>, when present, is laid over <c>Verification</c> for the default service.
/// </summary>
public static class ServicesConfiguration
{
    public const string SectionName = "Services";

    private static readonly string[] ReplacedCollections =
        [nameof(VerificationOptions.AllowedCountries), nameof(VerificationOptions.DeniedCountries), nameof(VerificationOptions.TestNumbers)];

    /// <summary>The declared services (the default first) and each problem found, as sentences naming their keys.</summary>
    public static (IReadOnlyList<ServiceDeclaration> Services, IReadOnlyList<string> Problems) Read(IConfiguration configuration, VerificationOptions global)
    {
        var sections = configuration.GetSection(SectionName).GetChildren().ToDictionary(s => s.Key, StringComparer.Ordinal);
        var services = new List<ServiceDeclaration> { Declare(Service.DefaultId, sections.GetValueOrDefault(Service.DefaultId), global) };
        var problems = new List<string>();
        foreach (var (name, section) in sections.Where(pair => pair.Key != Service.DefaultId).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!Service.IsValidId(name))
            {
                problems.Add($"{SectionName}:{name} is not a valid service name; use lower-case letters, digits, '-' and '_' (at most 64), e.g. \"shop-eu\".");
                continue;
            }

            services.Add(Declare(name, section, global));
        }

        // The Verification section's own problems are reported by its validator; the default service repeats none of them.
        var globalProblems = new VerificationOptionsValidator().Validate(null, global).Failures ?? [];
        foreach (var service in services)
        {
            var validation = new VerificationOptionsValidator(KeyNaming(service.Id, sections.GetValueOrDefault(service.Id))).Validate(null, service.Settings.Over(global));
            if (validation.Failed)
            {
                problems.AddRange(validation.Failures.Except(globalProblems));
            }

            if (service.Settings.Spend.DailyCap < 0 || service.Settings.Spend.MonthlyCap < 0)
            {
                problems.Add($"{SectionName}:{service.Id}:Spend:DailyCap and :MonthlyCap must be 0 (no cap) or a positive amount in Spend:Currency.");
            }

            if (service.FriendlyName.Length > Service.MaxFriendlyNameLength)
            {
                problems.Add($"{SectionName}:{service.Id}:FriendlyName is longer than {Service.MaxFriendlyNameLength} characters.");
            }
        }

        return (services, problems);
    }

    /// <summary>
    /// How a problem names a service's setting: its own key (<c>Services:shop:CodeLength</c>), which is where it is
    /// fixed. The default service's settings come from <c>Verification</c> unless <c>Services:default</c> names them.
    /// </summary>
    private static Func<string, string> KeyNaming(string id, IConfigurationSection? section) => key =>
        id != Service.DefaultId || section?.GetSection(key).Exists() == true ? $"{SectionName}:{id}:{key}" : $"{VerificationOptions.SectionName}:{key}";

    private static ServiceDeclaration Declare(string id, IConfigurationSection? section, VerificationOptions global)
    {
        var options = ServiceSettings.From(global).Over(global);
        if (section is not null)
        {
            // Binding fills a list or dictionary that already has items: a service that names its countries or test
            // numbers means those, not the default's and its own together.
            foreach (var key in ReplacedCollections.Where(key => section.GetSection(key).Exists()))
            {
                _ = key switch
                {
                    nameof(VerificationOptions.AllowedCountries) => Clear(options.AllowedCountries),
                    nameof(VerificationOptions.DeniedCountries) => Clear(options.DeniedCountries),
                    _ => Clear(options.TestNumbers),
                };
            }

            section.Bind(options);
        }

        var templates = section?.GetSection("Templates").GetChildren().Where(t => t.Value is not null).ToDictionary(t => t.Key, t => t.Value!) ?? [];
        var friendlyName = section?["FriendlyName"] ?? (id == Service.DefaultId ? "Default" : id);
        return new ServiceDeclaration(id, friendlyName, ServiceSettings.From(options) with
        {
            Templates = templates,
            CustomCodeEnabled = section?.GetValue<bool>(nameof(ServiceSettings.CustomCodeEnabled)) ?? false,
            Spend = section?.GetSection(nameof(ServiceSettings.Spend)).Get<Fraud.SpendCaps>() ?? new(),
        });
    }

    private static bool Clear<T>(ICollection<T> items)
    {
        items.Clear();
        return true;
    }
}
