namespace OtpGate.OneMsg.Templates;

/// <summary>
/// Names an approved template exactly as 1MSG's <c>/templates</c> returns it: its name, its namespace
/// (1MSG answers 422 without it) and its language code (for example <c>en</c> or <c>en_US</c>).
/// </summary>
public sealed record TemplateReference(string Name, string Namespace, string Language)
{
    /// <summary>Returns a sentence naming what is missing, or null when the reference is complete.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "The template name is empty; give the approved template's name as /templates lists it, e.g. \"registration_otp\".";
        }

        if (string.IsNullOrWhiteSpace(Namespace))
        {
            return "The template namespace is empty; 1MSG refuses a send without it. Copy it from /templates (e.g. \"otpgate_sandbox\").";
        }

        if (string.IsNullOrWhiteSpace(Language))
        {
            return "The template language is empty; give the language code as /templates lists it, e.g. \"en\" or \"en_US\".";
        }

        return null;
    }
}
