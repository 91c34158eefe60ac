using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace OtpGate.Server.Api;

/// <summary>The OpenAPI document's title, the problem codes, and the API-key security scheme on the <c>/v1</c> operations.</summary>
internal sealed class ApiDocument : IOpenApiDocumentTransformer
{
    public const string Codes = """
        Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`:
        `invalid_request`, `invalid_phone`, `channel_unavailable` (400); `unauthorized` (401); `forbidden`, `country_not_allowed`, `service_not_found`, `fraud_suspected` (403); `not_found` (404);
        `already_approved` (409); `expired`, `max_attempts_reached`, `canceled`, `failed` (410); `payload_too_large` (413);
        `unsupported_media_type` (415); `wrong_code` (422, with `attemptsLeft`); `rate_limited`, `cooldown`, `spend_cap_reached` (429, with a
        `Retry-After` header and `retryAfter` seconds; `spend_cap_reached` names its cap in `limit`: `service_daily`, `service_monthly`,
        `overall_daily` or `overall_monthly`); `internal_error` (500); `storage_unavailable`, `overloaded` (503, with `Retry-After`:
        nothing was saved, try again). Authenticate with `Authorization: Bearer <API key>`.
        """;

    /// <summary>Which keys exist and what each may do; the keys themselves are only ever in the server's configuration.</summary>
    public const string KeysDescription = """
        An API key, sent as `Authorization: Bearer <key>`. Three kinds, configured on the server by name:
        `Api:Keys:<name>` keys start and read verifications in the default service (the `Verification` settings);
        `Api:ServiceKeys:<name>:Key` keys do the same in the service `Api:ServiceKeys:<name>:Service` names, with its settings,
        and see only that service's verifications (another service's answer 404, as an unknown id);
        `Api:AdminKeys:<name>` keys manage services (`/v1/services`) and start no verification.
        A key used on the other kind's endpoints gets 403 `forbidden`; a service key whose service does not exist gets 403
        `service_not_found` on a start. With no key configured, the development key printed at the first start is a key of the default service.
        """;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "OtpGate API",
            Version = "v1",
            Description = "Phone verification over WhatsApp: start a verification, follow its delivery, check the code.\n\n" + Codes,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = KeysDescription,
        };

        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", document)] = [] }];
            }
        }

        return Task.CompletedTask;
    }
}
