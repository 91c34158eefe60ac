using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Delivery;

/// <summary>One status the sandbox will report, at an offset from acceptance.</summary>
internal sealed record PlannedStatus(TimeSpan After, string Status, SandboxDeliveryError? Error = null);

/// <summary>The statuses an accepted message goes through, per scenario; a pure function of the options.</summary>
internal static class DeliveryPlan
{
    public static IReadOnlyList<PlannedStatus> For(Scenario scenario, SandboxOptions options, TimeSpan ttl)
    {
        var sent = options.SentAfter;
        var delivered = options.DeliveredAfter;
        var read = options.ReadAfter;
        List<PlannedStatus> plan = scenario switch
        {
            // Meta never reports "sent" for a number without WhatsApp: the message fails outright.
            Scenario.NotOnWhatsApp => [new(sent, SandboxStatuses.Failed, DeliveryErrors.NotOnWhatsApp)],
            Scenario.NeverDelivered => [new(sent, SandboxStatuses.Sent)],
            Scenario.SlowDelivery =>
            [
                new(sent, SandboxStatuses.Sent),
                new(options.SlowDeliveryAfter, SandboxStatuses.Delivered),
                new(options.SlowDeliveryAfter + (read - delivered), SandboxStatuses.Read),
            ],
            Scenario.DuplicatedOutOfOrder =>
            [
                new(sent, SandboxStatuses.Sent),
                new(delivered, SandboxStatuses.Read),
                new(delivered, SandboxStatuses.Delivered),
                new(delivered, SandboxStatuses.Sent),
                new(read, SandboxStatuses.Delivered),
            ],
            Scenario.DeliveredNeverRead => [new(sent, SandboxStatuses.Sent), new(delivered, SandboxStatuses.Delivered)],
            _ => [new(sent, SandboxStatuses.Sent), new(delivered, SandboxStatuses.Delivered), new(read, SandboxStatuses.Read)],
        };

        return ApplyTtl(plan, ttl);
    }

    /// <summary>A message not delivered within its TTL is dropped: it fails at the TTL and nothing follows.</summary>
    private static List<PlannedStatus> ApplyTtl(List<PlannedStatus> plan, TimeSpan ttl)
    {
        var firstDelivery = plan.FindIndex(p => p.Status is SandboxStatuses.Delivered or SandboxStatuses.Read);
        var failsOnItsOwn = plan.Exists(p => p.Status == SandboxStatuses.Failed);
        if (failsOnItsOwn || (firstDelivery >= 0 && plan[firstDelivery].After <= ttl))
        {
            return plan;
        }

        List<PlannedStatus> result = [.. plan.Where(p => p.After < ttl && p.Status == SandboxStatuses.Sent)];
        result.Add(new PlannedStatus(ttl, SandboxStatuses.Failed, DeliveryErrors.TtlExpired));
        return result;
    }
}
