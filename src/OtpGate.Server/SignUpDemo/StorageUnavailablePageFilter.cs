using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using OtpGate.Server.Api;
using OtpGate.Verification.Storage;

namespace OtpGate.Server.SignUpDemo;

/// <summary>
/// A sign-up page whose handler fails because the storage cannot take writes answers 503 with <c>Retry-After</c> and a
/// page that says to try again in a few seconds, instead of an error page: nothing was saved, and trying again is all
/// the visitor has to do. Every page gets it, whatever its handlers do.
/// </summary>
internal sealed class StorageUnavailablePageFilter(Database database) : IAsyncPageFilter
{
    public const string ViewPath = "/SignUpDemo/Pages/Shared/StorageUnavailable.cshtml";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Exception is not { } exception || executed.ExceptionHandled || !database.ReportFailure(exception))
        {
            return;
        }

        // Logged once per fault by the database, like the API's 503s.
        executed.ExceptionHandled = true;
        var seconds = ApiProblems.RetryAfterSeconds(StorageFault.RetryAfter);
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        executed.Result = new ViewResult { ViewName = ViewPath, StatusCode = StatusCodes.Status503ServiceUnavailable };
    }
}
