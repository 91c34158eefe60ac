using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpGate.Sandbox.Api;
using OtpGate.Sandbox.Messages;

namespace OtpGate.Sandbox.Delivery;

/// <summary>Records an accepted message and plans its statuses on the scheduler.</summary>
internal sealed class DeliverySimulator(
    SandboxMessages messages,
    DeliveryScheduler scheduler,
    IOptions<SandboxOptions> options,
    TimeProvider timeProvider,
    ILogger<DeliverySimulator> logger)
{
    public SandboxMessage Accept(SendRequest send, Scenario scenario)
    {
        var template = send.Template;
        var now = timeProvider.GetUtcNow();
        var urlButton = template.Buttons.FirstOrDefault(b => b.Type.Equals("URL", StringComparison.OrdinalIgnoreCase));
        var message = new SandboxMessage(
            MessageIds.New(send.Phone),
            send.Phone,
            template.Name,
            template.Language,
            template.Namespace,
            template.Category,
            send.BodyParameters,
            send.ButtonCode,
            template.Render(send.BodyParameters),
            template.FooterText,
            urlButton?.Text,
            send.Ttl,
            now,
            []);
        messages.Add(message);

        // A queued job leaves later, and only then is it echoed and delivered, under the id it was recorded with.
        var leaves = now + (scenario == Scenario.QueuedByChannel ? options.Value.QueuedFor : TimeSpan.Zero);
        scheduler.Schedule(leaves, new EchoDue(message.Id));
        foreach (var planned in DeliveryPlan.For(scenario, options.Value, send.Ttl))
        {
            scheduler.Schedule(leaves + planned.After, new StatusDue(message.Id, planned.Status, planned.Error));
        }

        SandboxLog.Accepted(logger, message.Id, message.Phone, template.Name, template.Language);
        return message;
    }
}
