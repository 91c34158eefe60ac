using System.Text.Json;
using System.Text.Json.Serialization;
using OtpGate.Server.Verifications;
using OtpGate.Server.Webhooks;

namespace OtpGate.Server.Api;

/// <summary>
/// The hot path's request and response types, serialized by code generated at build time instead of metadata built by
/// reflection at their first use (a start-up and first-request cost; with a single core it was within the noise of a
/// cold start). The server's own options (web defaults) still govern names and formats; reflection remains the
/// fallback for every other type.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StartVerificationRequest))]
[JsonSerializable(typeof(CheckVerificationRequest))]
[JsonSerializable(typeof(ResendVerificationRequest))]
[JsonSerializable(typeof(VerificationResponse))]
[JsonSerializable(typeof(WebhookApi.WebhookReceipt))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

internal static class ApiJson
{
    /// <summary>
    /// Puts <see cref="ApiJsonContext"/> first in the HTTP JSON options' resolvers. A post-configuration, so that it runs
    /// after ASP.NET Core's own (problem details adds its context there) and stays first whatever they add.
    /// </summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services) =>
        services.PostConfigure<Microsoft.AspNetCore.Http.Json.JsonOptions>(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default));
}
