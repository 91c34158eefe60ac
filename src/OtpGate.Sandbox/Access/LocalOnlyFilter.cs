using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Access;

/// <summary>
/// Every sandbox route answers requests from this machine only, unless <see cref="SandboxOptions.AllowRemoteAccess"/>:
/// defence in depth behind the listen check, for a sandbox reached through a reverse proxy or a tunnel.
/// </summary>
internal static class LocalOnlyFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var services = context.RequestServices;
        if (services.GetRequiredService<IOptions<SandboxOptions>>().Value.AllowRemoteAccess || SandboxAccess.IsLocalRequest(context))
        {
            return await next(invocation);
        }

        SandboxLog.RemoteRefused(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(LocalOnlyFilter).FullName!),
            context.Request.Path.Value ?? "", context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

        // 403 rather than 404: the person who meets this is most often the developer trying the inbox from a phone on the
        // LAN, and the answer says what to change. It tells anyone else only that a sandbox is here, which gives them
        // nothing: no code, no webhook, and they cannot change the setting.
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "The sandbox answers only on this machine",
            detail: "The 1MSG sandbox shows every code it \"sends\" and lets anyone redirect its webhook, so it answers requests from "
                + $"this machine only; set {SandboxAccess.SettingKey}=true to let other machines reach it.");
    }
}
