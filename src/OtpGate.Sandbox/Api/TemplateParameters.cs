using Microsoft.AspNetCore.Http;
using OtpGate.Sandbox.Templates;

namespace OtpGate.Sandbox.Api;

/// <summary>Step 8 of sendTemplate validation: do the sent components match the ones the template defines?</summary>
internal static class TemplateParameters
{
    private const string Mismatch = "Number of parameters does not match the expected number of params (132000): ";

    public static Refusal? CheckCounts(TemplateInfo template, SentComponents sent)
    {
        if (sent.Problem is { } problem)
        {
            return Refused(problem);
        }

        var expectedButtons = Enumerable.Range(0, template.Buttons.Count).Where(i => template.ButtonVariables(i) > 0).ToList();

        // 1MSG answers an authentication template without its button parameter with sent:false, not 422.
        if (template.IsAuthentication && sent.Buttons.Count == 0 && expectedButtons.Count > 0
            && (sent.Header?.Count ?? 0) == template.HeaderVariables && sent.Body?.Count == template.BodyVariables)
        {
            return Refusal.NotSent(SendTemplateValidator.BodyOnlyMessage);
        }

        if (sent.Header is not null && template.HeaderText is null)
        {
            return Refused("the template has no header component");
        }

        if ((sent.Header?.Count ?? 0) != template.HeaderVariables)
        {
            return Refused($"header expects {template.HeaderVariables}, got {sent.Header?.Count ?? 0}");
        }

        if ((sent.Body?.Count ?? 0) != template.BodyVariables)
        {
            return Refused($"body expects {template.BodyVariables}, got {sent.Body?.Count ?? 0}");
        }

        foreach (var index in expectedButtons.Union(sent.Buttons.Keys).Order())
        {
            var expected = template.ButtonVariables(index);
            if (!sent.Buttons.TryGetValue(index, out var button))
            {
                return Refused($"button {index} expects {expected}, got 0");
            }

            if (expected == 0)
            {
                return Refused($"the template has no button {index} with a variable");
            }

            if (button.SubType is not ("url" or "copy_code"))
            {
                return Refused($"button {index} is a URL button; send sub_type \"url\", not \"{button.SubType}\"");
            }

            if (button.Parameters.Count != expected)
            {
                return Refused($"button {index} expects {expected}, got {button.Parameters.Count}");
            }
        }

        return null;
    }

    private static Refusal Refused(string detail) => Refusal.Message(StatusCodes.Status422UnprocessableEntity, Mismatch + detail);
}
