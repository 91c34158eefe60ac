namespace OtpGate.Cli.Output;

/// <summary>How a token or secret is shown: never in full.</summary>
internal static class Secrets
{
    /// <summary>
    /// "(not set)", or a mask with the length: long tokens keep their first 4 characters (a JWT's "eyJh" says
    /// nothing secret, but tells a person which token this is), short ones keep none.
    /// </summary>
    public static string Mask(string? secret)
    {
        var text = secret?.Trim() ?? "";
        if (text.Length == 0)
        {
            return "(not set)";
        }

        return text.Length >= 24 ? $"{text[..4]}… ({text.Length} characters)" : $"*** ({text.Length} characters)";
    }
}
