namespace OtpGate.Sandbox.Sms;

/// <summary>
/// The SMS stand-in's reserved numbers, in the same fictional 555-01xx range as the 1MSG ones but past them
/// (121 to 126), so a WhatsApp scenario number (e.g. 12125550101, not on WhatsApp) still gets its SMS delivered.
/// </summary>
internal enum SmsScenario
{
    Delivered,
    Undelivered,
    CarrierFailure,
    SlowDelivery,
    RateLimited,
    ServerError,
    Landline,
}

internal static class SmsScenarios
{
    public static SmsScenario For(string digits) => digits switch
    {
        "12125550121" => SmsScenario.Undelivered,
        "12125550122" => SmsScenario.CarrierFailure,
        "12125550123" => SmsScenario.SlowDelivery,
        "12125550124" => SmsScenario.RateLimited,
        "12125550125" => SmsScenario.ServerError,
        "12125550126" => SmsScenario.Landline,
        _ => SmsScenario.Delivered,
    };

    /// <summary>
    /// The statuses after <c>queued</c> (at acceptance), with Twilio's error code on the last when it is not delivered:
    /// 30003 "Unreachable destination handset", 30006 "Landline or unreachable carrier".
    /// </summary>
    public static IReadOnlyList<(TimeSpan After, string Status, int? ErrorCode)> Plan(SmsScenario scenario, SandboxOptions options) => scenario switch
    {
        SmsScenario.Undelivered => [(options.SentAfter, SmsStatuses.Sent, null), (options.DeliveredAfter, SmsStatuses.Undelivered, 30003)],
        SmsScenario.CarrierFailure => [(options.SentAfter, SmsStatuses.Failed, 30006)],
        SmsScenario.SlowDelivery => [(options.SentAfter, SmsStatuses.Sent, null), (options.SlowDeliveryAfter, SmsStatuses.Delivered, null)],
        _ => [(options.SentAfter, SmsStatuses.Sent, null), (options.DeliveredAfter, SmsStatuses.Delivered, null)],
    };
}

/// <summary>Twilio's message statuses the stand-in goes through.</summary>
public static class SmsStatuses
{
    public const string Accepted = "accepted";
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Undelivered = "undelivered";
    public const string Failed = "failed";
}
