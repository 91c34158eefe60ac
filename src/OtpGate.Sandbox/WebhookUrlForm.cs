namespace OtpGate.Sandbox;

/// <summary>How the sandbox writes <c>webhookUrl</c> in <c>GET webhook</c> and <c>GET settings</c> (see the README).</summary>
public enum WebhookUrlForm
{
    /// <summary>As 1MSG answers: <c>""</c> for none, the URL as a string for one, an array for several.</summary>
    OneMsg,

    /// <summary>Always an array, even for none or one (what the sandbox answered before).</summary>
    Array,

    /// <summary>Always one string, several URLs joined by commas (1MSG's legacy form); <c>""</c> for none.</summary>
    CommaSeparated,

    /// <summary>As <see cref="OneMsg"/>, but <c>null</c> for none (the legacy contract marks the field nullable).</summary>
    NullWhenEmpty,
}
