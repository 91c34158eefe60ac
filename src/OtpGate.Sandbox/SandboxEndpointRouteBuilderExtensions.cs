using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OtpGate.Sandbox.Access;
using OtpGate.Sandbox.Api;
using OtpGate.Sandbox.Inbox;
using OtpGate.Sandbox.Sms;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the 1MSG sandbox's routes.</summary>
public static class SandboxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the 1MSG API at <c>{basePath}/{channelId}/...</c>, the inbox page at <c>{basePath}/inbox</c>
    /// and its JSON at <c>{basePath}/_sandbox/messages</c>, and Twilio Programmable Messaging's send at
    /// <c>{basePath}/2010-04-01/Accounts/{AccountSid}/Messages.json</c> (with the message, account, number and Messaging
    /// Service reads the SMS channel and <c>otpgate doctor</c> make). Call <c>AddOneMsgSandbox</c> first. Every route answers
    /// requests from this machine only, and the host does not start on an address beyond loopback, unless
    /// <see cref="OtpGate.Sandbox.SandboxOptions.AllowRemoteAccess"/> is set.
    /// </summary>
    public static RouteGroupBuilder MapOneMsgSandbox(this IEndpointRouteBuilder app, string basePath = "")
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ServiceProvider.GetService<SandboxMount>() is { } mount)
        {
            mount.IsMapped = true;
        }

        var group = app.MapGroup(basePath.TrimEnd('/'));
        group.ExcludeFromDescription();
        group.AddEndpointFilter(LocalOnlyFilter.InvokeAsync);

        group.MapGet("/inbox", InboxPage.Serve);
        group.MapGet("/_sandbox/messages", MessagesEndpoint.Get);

        // Literal segments win over the 1MSG channel's catch-all below.
        group.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", SmsSendEndpoint.HandleAsync);
        group.MapGet("/2010-04-01/Accounts/{accountSid}/Messages/{messageSid}.json", SmsReadEndpoints.FetchMessage);
        group.MapGet("/2010-04-01/Accounts/{accountSid}.json", SmsReadEndpoints.FetchAccount);
        group.MapGet("/2010-04-01/Accounts/{accountSid}/IncomingPhoneNumbers.json", SmsReadEndpoints.FindIncomingNumber);
        // messaging.twilio.com's Messaging Service, under the same base (the SMS channel asks a stand-in there).
        group.MapGet("/v1/Services/{serviceSid}", SmsReadEndpoints.FetchMessagingService);

        var channel = group.MapGroup("/{channelId}");
        channel.MapPost("/sendTemplate", SendTemplateEndpoint.HandleAsync);
        channel.MapGet("/templates", ChannelEndpoints.GetTemplates);
        channel.MapGet("/webhook", WebhookEndpoints.GetWebhook);
        channel.MapPost("/webhook", WebhookEndpoints.SetWebhookAsync);
        channel.MapGet("/settings", WebhookEndpoints.GetSettings);
        channel.MapPost("/settings", WebhookEndpoints.UpdateSettingsAsync);
        channel.MapGet("/hookInfo", ChannelEndpoints.GetHookInfo);
        channel.MapGet("/status", ChannelEndpoints.GetStatus);
        channel.MapGet("/me", ProfileEndpoints.Get);
        channel.MapPost("/me", ProfileEndpoints.UpdateAsync);
        channel.MapGet("/messages", MessageListEndpoint.Get);

        // Any other method, or a known one with the wrong HTTP verb: 1MSG answers 404.
        channel.Map("/{**rest}", ChannelEndpoints.Unknown);
        return group;
    }
}
