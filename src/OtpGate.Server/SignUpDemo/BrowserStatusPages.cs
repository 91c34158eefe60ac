using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// A bodiless error answer (a mistyped URL's 404, a 405): a small HTML page for a browser, which asks for
/// <c>text/html</c>; the problem detail, as before, for everything else (API clients, scripts, curl).
/// </summary>
internal static class BrowserStatusPages
{
    public static async Task WriteAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (AsksForHtml(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(Page(status), http.RequestAborted);
            return;
        }

        // What UseStatusCodePages() writes by default: the problem detail (its code and detail added by AddApi).
        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = status } }))
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync($"Status code {status}: {ReasonPhrases.GetReasonPhrase(status)}", http.RequestAborted);
        }
    }

    // Browsers name text/html in Accept for a page; API clients ask for JSON or anything (*/*), which keeps the problem.
    private static bool AsksForHtml(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && accept.Quality is not 0);

    private static string Page(int status)
    {
        var (title, text) = status == StatusCodes.Status404NotFound
            ? ("Page not found", "There is no page at this address. Check it for a typo, or start from the sign-up page.")
            : (ReasonPhrases.GetReasonPhrase(status), "This address cannot answer that request. Start from the sign-up page.");
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>{{title}} · OtpGate</title>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml">
                <link rel="stylesheet" href="/css/site.css">
            </head>
            <body>
                <header class="top"><a class="brand" href="/"><span class="logo" aria-hidden="true">✓</span> OtpGate</a></header>
                <main class="card" id="main">
                    <h1>{{title}}</h1>
                    <p class="lead">{{text}} ({{status.ToString(CultureInfo.InvariantCulture)}})</p>
                    <a class="primary button" href="/">Go to the sign-up page</a>
                </main>
                <footer class="foot"><p><a href="/docs">API docs</a></p></footer>
            </body>
            </html>
            """;
    }
}
