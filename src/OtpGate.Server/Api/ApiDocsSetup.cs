using Scalar.AspNetCore;

namespace OtpGate.Server.Api;

/// <summary>The OpenAPI document at <c>/openapi/v1.json</c> and the Scalar reference page at <c>/docs</c>.</summary>
internal static class ApiDocsSetup
{
    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // The reference alone, served whole from this server (its script is in the package): no fonts from Scalar's CDN,
        // no telemetry, and none of the viewer's own tools (developer toolbar, AI agent, MCP, "open API client").
        app.MapScalarApiReference("/docs", options =>
        {
            options.WithTitle("OtpGate API").WithFavicon("/favicon.svg").DisableDefaultFonts().DisableAgent().DisableMcp().HideClientButton();
            options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
            options.Telemetry = false;
        });
        return app;
    }
}
