namespace OtpGate.Sandbox.Delivery;

/// <summary>
/// The reserved numbers (the fictional US range 555-01xx) and what each does; any other valid
/// number is delivered, then read. See the sandbox README.
/// </summary>
internal enum Scenario
{
    DeliveredThenRead,
    NotOnWhatsApp,
    NeverDelivered,
    SlowDelivery,
    RateLimitedTwice,
    ServerError,
    Hangs,
    NotOptedIn,
    DuplicatedOutOfOrder,
    DeliveredNeverRead,
    QueuedByChannel,
}

internal static class Scenarios
{
    public static Scenario For(string phone) => phone switch
    {
        "12125550101" => Scenario.NotOnWhatsApp,
        "12125550102" => Scenario.NeverDelivered,
        "12125550103" => Scenario.SlowDelivery,
        "12125550104" => Scenario.RateLimitedTwice,
        "12125550105" => Scenario.ServerError,
        "12125550106" => Scenario.Hangs,
        "12125550107" => Scenario.NotOptedIn,
        "12125550108" => Scenario.DuplicatedOutOfOrder,
        "12125550109" => Scenario.DeliveredNeverRead,
        "12125550110" => Scenario.QueuedByChannel,
        _ => Scenario.DeliveredThenRead,
    };
}
