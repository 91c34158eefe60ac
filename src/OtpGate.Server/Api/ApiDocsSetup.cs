using Scalar.AspNetCore;

namespace OtpGate.Server.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the Scalar reference page at <c>/docs</c>.</summary>
internal static class ApiDocsSetup
{
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapScalarApiReference("/docs", options => options.WithTitle("OtpGate API"));
        return app;
    }
}
