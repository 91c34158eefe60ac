namespace OtpGate.Verification.Limits;

/// <summary>The keys limit events are counted under, and the limit names refusals carry.</summary>
internal static class LimitScopes
{
    public static string PhoneSends(string phone) => "send:" + phone;

    /// <summary>The turn taken by whatever may make a verification for the phone pending: a start, a revive.</summary>
    public static string PhoneTurn(string phone) => "phone:" + phone;

    public static string PhoneFailures(string phone) => "fail:" + phone;

    /// <summary>One starter's failed checks for one phone: who started the verification (owner and client address).</summary>
    public static string StarterFailures(string phone, string starter) => "fail:" + phone + ":" + starter;

    public static string IpStarts(string ip) => "start:" + ip;

    public const string Budget = "budget";
}

/// <summary>The limit names shown to clients (the <c>limit</c> of a <c>rate_limited</c> refusal).</summary>
public static class LimitNames
{
    public const string PhoneSends10Minutes = "phone_sends_10m";
    public const string PhoneSendsDay = "phone_sends_24h";
    public const string PhoneFailedChecks = "phone_failed_checks_24h";
    public const string FailedChecksDelay = "failed_checks_delay";
    public const string IpStarts10Minutes = "ip_starts_10m";
    public const string VerificationSends = "verification_sends";
    public const string DailyBudget = "daily_send_budget";
}
