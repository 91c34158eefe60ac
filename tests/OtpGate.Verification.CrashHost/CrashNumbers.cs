namespace OtpGate.Verification.CrashHost;

/// <summary>The crash test's phone numbers, one per index.</summary>
public static class CrashNumbers
{
    public static string Phone(int index) => $"+1646400{index:D4}";
}
