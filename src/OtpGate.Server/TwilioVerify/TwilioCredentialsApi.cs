using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using OtpGate.Server.Api;
using OtpGate.Verification.Credentials;
using OtpGate.Verification.Services;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// <c>/v1/twilio-credentials</c>, with an admin key: issue an account of a service or an admin account (sid and auth
/// token), an API key of an account (sid and secret), list them, revoke one. A token or secret is in the answer that
/// issues it and nowhere else: only its SHA-256 is stored.
/// </summary>
internal static class TwilioCredentialsApi
{
    public static void MapTwilioCredentials(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup("/v1/twilio-credentials", "Twilio credentials", "Twilio credentials are issued");

        group.MapPost("/", IssueAsync).WithName("IssueTwilioCredential").WithSummary("Issue a Twilio-shaped account or API key for /v2")
            .WithDescription("{service} issues an account (AC…) of that service, {admin: true} an admin account, {accountSid} an API key (SK…) of that account. "
                + "201 with the auth token or secret, shown this once. Problems: invalid_request (400), not_found (404: no such service or account).");
        group.MapGet("/", ListAsync).WithName("ListTwilioCredentials").WithSummary("List the Twilio-shaped credentials (without secrets), optionally ?service=<id>");
        group.MapDelete("/{sid}", RevokeAsync).WithName("RevokeTwilioCredential").WithSummary("Revoke an API key, or an account with its API keys")
            .WithDescription("204. Problems: not_found (404).");
    }

    private static async Task<Results<Created<IssuedResponse>, ProblemHttpResult>> IssueAsync(
        IssueRequest body, TwilioCredentials credentials, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var name = body.FriendlyName ?? "";
        if (name.Length > TwilioCredentials.MaxFriendlyNameLength || name.Any(char.IsControl))
        {
            return Invalid($"friendlyName must be at most {TwilioCredentials.MaxFriendlyNameLength} characters.");
        }

        IssuedTwilioCredential? issued;
        if (body.AccountSid is { } accountSid)
        {
            if (body.Service is not null || body.Admin is not null)
            {
                return Invalid("An API key acts as its account: give accountSid alone, without service or admin.");
            }

            issued = await credentials.IssueKeyAsync(accountSid, name, cancellationToken);
            if (issued is null)
            {
                return NotFound("No account issued by this server has this accountSid.");
            }
        }
        else if ((body.Admin == true) == (body.Service is not null))
        {
            return Invalid("Give service (the id of the service the account acts in), admin: true (an account for every service), or accountSid (an API key of that account).");
        }
        else if (body.Service is { } service && await catalog.FindAsync(service, cancellationToken) is null)
        {
            return NotFound("No service has this id.");
        }
        else
        {
            issued = await credentials.IssueAccountAsync(body.Service, name, cancellationToken);
        }

        return TypedResults.Created($"/v1/twilio-credentials/{issued.Credential.Sid}", IssuedResponse.From(issued));
    }

    private static async Task<Ok<CredentialResponse[]>> ListAsync(string? service, TwilioCredentials credentials, CancellationToken cancellationToken) =>
        TypedResults.Ok((await credentials.ListAsync(service, cancellationToken)).Select(CredentialResponse.From).ToArray());

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string sid, TwilioCredentials credentials, CancellationToken cancellationToken) =>
        await credentials.RevokeAsync(sid, cancellationToken) > 0 ? TypedResults.NoContent() : NotFound("No credential issued by this server has this sid.");

    private static ProblemHttpResult Invalid(string detail) => ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", detail);

    private static ProblemHttpResult NotFound(string detail) => ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", detail);
}

/// <summary><c>POST /v1/twilio-credentials</c>: one of <c>service</c>, <c>admin: true</c> or <c>accountSid</c>, and an optional friendly name.</summary>
internal sealed record IssueRequest(string? Service, bool? Admin, string? AccountSid, string? FriendlyName);

/// <summary>A credential without its secret. <c>service</c> is null for an admin account and its keys.</summary>
internal sealed record CredentialResponse(string Sid, string Kind, string AccountSid, string? Service, bool Admin, string FriendlyName, DateTimeOffset CreatedAt)
{
    public static CredentialResponse From(TwilioCredential c) =>
        new(c.Sid, c.IsApiKey ? "api_key" : "account", c.AccountSid, c.ServiceId, c.IsAdmin, c.FriendlyName, c.CreatedAt);
}

/// <summary>A credential just issued: <c>authToken</c> for an account, <c>secret</c> for an API key, shown this once.</summary>
internal sealed record IssuedResponse(
    string Sid, string Kind, string AccountSid, string? Service, bool Admin, string FriendlyName, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthToken,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret)
{
    public static IssuedResponse From(IssuedTwilioCredential issued)
    {
        var c = CredentialResponse.From(issued.Credential);
        return new(c.Sid, c.Kind, c.AccountSid, c.Service, c.Admin, c.FriendlyName, c.CreatedAt,
            issued.Credential.IsApiKey ? null : issued.Secret, issued.Credential.IsApiKey ? issued.Secret : null);
    }
}
