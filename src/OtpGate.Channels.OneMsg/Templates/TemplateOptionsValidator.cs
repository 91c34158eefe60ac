using Microsoft.Extensions.Options;

namespace OtpGate.Channels.OneMsg.Templates;

/// <summary>
/// Checks <see cref="TemplateOptions"/> at start-up: every code is sent with a template, so the default one must be
/// complete, and each locale's must at least name its template (its namespace and language default to the default's
/// namespace and the locale). Each problem names its key and gives an example.
/// </summary>
public sealed class TemplateOptionsValidator : IValidateOptions<TemplateOptions>
{
    private const string Example = "registration_otp";

    public ValidateOptionsResult Validate(string? name, TemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var template = options.Template;
        Require(errors, template.Name, "Name", Example);
        Require(errors, template.Namespace, "Namespace", "c8ae5f90_307a_ca4c_b8f6_d1e2a2573574");
        Require(errors, template.Language, "Language", "en");
        foreach (var (locale, settings) in options.Templates)
        {
            if (string.IsNullOrWhiteSpace(settings.Name))
            {
                errors.Add($"OneMsg:Templates:{locale}:Name is empty; set it to the approved authentication template for {locale} from the 1MSG dashboard (Templates), e.g. {Example}.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Require(List<string> errors, string value, string key, string example)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"OneMsg:Template:{key} is empty; with a real 1MSG channel set it to your approved authentication template's {key.ToLowerInvariant()} from the 1MSG dashboard (Templates), e.g. {example}.");
        }
    }
}
