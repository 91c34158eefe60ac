namespace OtpGate.Verification.Channels;

/// <summary>
/// The text a code goes out in on a text channel: the code, who sends it, and how long it lasts, so a user who did not
/// ask for it knows what it is and that it will not stay valid.
/// </summary>
public static class CodeText
{
    /// <summary>
    /// The default English text: <c>123456 is your Acme verification code. It expires in 10 minutes.</c>; without a
    /// service name, <c>123456 is your verification code. …</c>.
    /// </summary>
    public static string Render(string code, string? serviceName, TimeSpan expiresIn)
    {
        ArgumentException.ThrowIfNullOrEmpty(code);
        var minutes = Math.Max(1, (int)Math.Ceiling(expiresIn.TotalMinutes));
        var unit = minutes == 1 ? "minute" : "minutes";
        var whose = string.IsNullOrWhiteSpace(serviceName) ? "your" : $"your {serviceName.Trim()}";
        return $"{code} is {whose} verification code. It expires in {minutes} {unit}.";
    }
}
