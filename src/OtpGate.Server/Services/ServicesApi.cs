using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OtpGate.Server.Api;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Services;

namespace OtpGate.Server.Services;

/// <summary>
/// The admin API for services (<c>/v1/services</c>): list, create, show, update, delete. Admin keys only
/// (<c>Api:AdminKeys</c>); any other key gets 403 <c>forbidden</c>, naming the key it needs (the endpoints are documented,
/// so hiding them behind a 404 would only confuse whoever configured the wrong key).
/// </summary>
internal static class ServicesApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapServices(this IEndpointRouteBuilder app)
    {
        var group = app.MapAdminGroup("/v1/services", "Services", "Services are managed");

        group.MapGet("/", ListAsync).WithName("ListServices").WithSummary("List the services");
        group.MapPost("/", CreateAsync).WithName("CreateService").WithSummary("Create a service")
            .WithDescription("201. Problems: invalid_request (400: the id or a setting), service_exists (409).");
        group.MapGet("/{id}", ShowAsync).WithName("GetService").WithSummary("Read a service").WithDescription("Problems: not_found (404).");
        group.MapPost("/{id}", UpdateAsync).WithName("UpdateService").WithSummary("Change a service's name or settings (only those given)")
            .WithDescription("Problems: invalid_request (400), not_found (404), service_is_configured (409: declared in configuration, "
                + "where it is changed; the detail names the key, e.g. Services:shop:CodeLength, or Verification:CodeLength for the default service).");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteService").WithSummary("Delete a service with no pending verification")
            .WithDescription("204. Problems: not_found (404), service_is_default (409), service_is_configured (409: remove Services:<id> from the "
                + "configuration and restart first), service_has_keys (409: an Api:ServiceKeys key of this server names it), service_in_use (409: a verification of it is pending).");
        return group;
    }

    private static async Task<Ok<ServiceResponse[]>> ListAsync(ServiceCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok((await catalog.ListAsync(cancellationToken)).Select(ServiceResponse.From).ToArray());

    private static async Task<Results<Created<ServiceResponse>, ProblemHttpResult>> CreateAsync(
        CreateServiceRequest body, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        if (!Service.IsValidId(body.Id))
        {
            return Invalid("id must be lower-case letters, digits, '-' and '_' (at most 64), starting with a letter or digit, e.g. \"shop-eu\".");
        }

        var defaults = ServiceSettings.From(catalog.Global);
        if (Settings(defaults, body.Settings, catalog, out var settings) is { } invalid)
        {
            return invalid;
        }

        var name = body.FriendlyName ?? body.Id!;
        if (name.Length > Service.MaxFriendlyNameLength)
        {
            return Invalid($"friendlyName must be at most {Service.MaxFriendlyNameLength} characters.");
        }

        return await catalog.CreateAsync(body.Id!, name, settings, cancellationToken) is { } created
            ? TypedResults.Created($"/v1/services/{created.Id}", ServiceResponse.From(created))
            : ApiProblems.Problem(StatusCodes.Status409Conflict, "service_exists", "A service with this id exists already.");
    }

    private static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> ShowAsync(string id, ServiceCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } service ? TypedResults.Ok(ServiceResponse.From(service)) : NotFound();

    private static async Task<Results<Ok<ServiceResponse>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateServiceRequest body, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        if (await catalog.FindAsync(id, cancellationToken) is not { } current)
        {
            return NotFound();
        }

        if (current.ConfigurationSection is not null)
        {
            // The next start writes it again from the configuration: a change made here would be lost without a word.
            return Configured($"Service {id} is declared in the configuration; change {string.Join(", ", ChangedKeys(current, body))} there and restart "
                + $"(a change through the API would be overwritten at the next start). Services created through the API are changed here.");
        }

        if (Settings(current.Settings, body.Settings, catalog, out var settings) is { } invalid)
        {
            return invalid;
        }

        var name = body.FriendlyName ?? current.FriendlyName;
        if (name.Length > Service.MaxFriendlyNameLength)
        {
            return Invalid($"friendlyName must be at most {Service.MaxFriendlyNameLength} characters.");
        }

        return await catalog.UpdateAsync(id, name, settings, cancellationToken) is { } updated ? TypedResults.Ok(ServiceResponse.From(updated)) : NotFound();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, ServiceCatalog catalog, IOptions<ApiOptions> api, CancellationToken cancellationToken)
    {
        // Deleting it would leave these keys able to authenticate but to start nothing: they are repointed first.
        // Only this server's keys are known here; any other instance logs its own at start-up (ServiceKeysCheck).
        var keys = api.Value.ServiceKeys.Where(k => k.Value.Service == id).Select(k => $"{ApiOptions.SectionName}:ServiceKeys:{k.Key}:Service").Order(StringComparer.Ordinal).ToList();
        if (keys.Count > 0 && id != Service.DefaultId && await catalog.FindAsync(id, cancellationToken) is { Source: ServiceSource.Api })
        {
            var (names, them) = keys.Count == 1 ? ("names", "that key") : ("name", "those keys");
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "service_has_keys",
                $"{string.Join(", ", keys)} {names} this service; point {them} at another service or remove {them}, restart, then delete it.");
        }

        return await catalog.DeleteAsync(id, cancellationToken) switch
        {
            ServiceDeletion.Deleted => TypedResults.NoContent(),
            ServiceDeletion.IsDefault => ApiProblems.Problem(StatusCodes.Status409Conflict, "service_is_default", "The default service is not deleted; its settings come from the Verification section."),
            ServiceDeletion.IsConfigured => Configured($"Service {id} is declared in the configuration (Services:{id}); remove Services:{id} there and restart: "
                + "it then stays as a service managed through the API, which can be deleted."),
            ServiceDeletion.HasPending => ApiProblems.Problem(StatusCodes.Status409Conflict, "service_in_use", "A verification of this service is pending; delete it once none is."),
            _ => NotFound(),
        };
    }

    /// <summary>The configuration keys a refused update would have changed (<c>Services:shop:CodeLength</c>), or the section's placeholder when it named none.</summary>
    private static List<string> ChangedKeys(Service service, UpdateServiceRequest body)
    {
        var settings = typeof(ServiceSettings).GetProperties().Select(p => p.Name).ToList();
        var keys = (body.Settings ?? []).Select(given => settings.FirstOrDefault(k => string.Equals(k, given.Key, StringComparison.OrdinalIgnoreCase)))
            .OfType<string>().Select(k => ConfigurationKey(service, k)).ToList();
        if (body.FriendlyName is not null)
        {
            keys.Add(ConfigurationKey(service, "FriendlyName"));
        }

        return keys.Count > 0 ? keys : [ConfigurationKey(service, "<Setting>")];
    }

    /// <summary>The default service's settings are <c>Verification</c> keys; its name and templates exist only under <c>Services:default</c>.</summary>
    private static string ConfigurationKey(Service service, string key) =>
        service.Id == Service.DefaultId && key is "FriendlyName" or nameof(ServiceSettings.Templates)
            ? $"{ServicesConfiguration.SectionName}:{Service.DefaultId}:{key}"
            : service.ConfigurationKey(key)!;

    /// <summary>
    /// The settings given laid over <paramref name="current"/> (a setting left out keeps its value), checked with the
    /// configuration's own bounds; the problem to answer when they are not valid.
    /// </summary>
    private static ProblemHttpResult? Settings(ServiceSettings current, JsonObject? given, ServiceCatalog catalog, out ServiceSettings settings)
    {
        settings = current;
        if (given is not null)
        {
            var merged = JsonSerializer.SerializeToNode(current, Json)!.AsObject();
            if (Merge(merged, given, "settings") is { } unknown)
            {
                return Invalid(unknown);
            }

            try
            {
                settings = merged.Deserialize<ServiceSettings>(Json)!;
            }
            catch (JsonException e)
            {
                return Invalid($"settings could not be read: {e.Message}");
            }
        }

        var problems = catalog.Problems(settings);
        return problems.Count > 0 ? Invalid(string.Join(" ", problems)) : null;
    }

    /// <summary>
    /// Lays <paramref name="given"/> over <paramref name="merged"/>, key by key (any case); a group of settings given as
    /// an object (<c>sms</c>) is laid over its current values the same way, so what it leaves out stays. The sentence
    /// for a key that is not a setting, or null.
    /// </summary>
    private static string? Merge(JsonObject merged, JsonObject given, string path)
    {
        foreach (var (key, value) in given)
        {
            var known = merged.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                return $"{path} has no \"{key}\"; the settings are: {string.Join(", ", merged.Select(p => p.Key))}.";
            }

            if (merged[known] is JsonObject group && value is JsonObject part && known != "templates" && known != "testNumbers" && known != "texts")
            {
                if (Merge(group, part, $"{path}.{known}") is { } unknown)
                {
                    return unknown;
                }

                continue;
            }

            merged[known] = value?.DeepClone();
        }

        return null;
    }

    private static ProblemHttpResult Configured(string detail) => ApiProblems.Problem(StatusCodes.Status409Conflict, "service_is_configured", detail);

    private static ProblemHttpResult Invalid(string detail) => ApiProblems.Problem(StatusCodes.Status400BadRequest, "invalid_request", detail);

    private static ProblemHttpResult NotFound() => ApiProblems.Problem(StatusCodes.Status404NotFound, "not_found", "No service has this id.");
}

/// <summary><c>POST /v1/services</c>: the id (its name), an optional friendly name, and the settings that differ from the configuration's <c>Verification</c> ones.</summary>
internal sealed record CreateServiceRequest(string? Id, string? FriendlyName, JsonObject? Settings);

/// <summary><c>POST /v1/services/{id}</c>: what changes; anything left out stays.</summary>
internal sealed record UpdateServiceRequest(string? FriendlyName, JsonObject? Settings);

internal sealed record ServiceResponse(string Id, string Sid, string FriendlyName, string Source, long Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, ServiceSettings Settings)
{
    public static ServiceResponse From(Service s) =>
        new(s.Id, s.Sid, s.FriendlyName, s.Source == ServiceSource.Api ? "api" : "configuration", s.Version, s.CreatedAt, s.UpdatedAt, s.Settings);
}
