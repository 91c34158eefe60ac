using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using OtpGate.Server.Hosting;
using OtpGate.Verification.Services;

namespace OtpGate.Server.TwilioVerify;

/// <summary>
/// <c>/v2/Services</c>: create, list (Twilio's paging), fetch, update and delete, over OtpGate's services. An account of
/// one service sees only that service and cannot create or delete any (20403); an admin account manages them all.
/// </summary>
internal static class TwilioServicesEndpoints
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public static void Map(RouteGroupBuilder v2)
    {
        v2.MapPost("/Services", CreateAsync);
        v2.MapGet("/Services", ListAsync);
        v2.MapGet("/Services/{sid}", FetchAsync);
        v2.MapPost("/Services/{sid}", UpdateAsync);
        v2.MapDelete("/Services/{sid}", DeleteAsync);
    }

    /// <summary>The service with this sid if the caller may act in it; null (answered as not found) otherwise.</summary>
    public static async Task<Service?> VisibleAsync(TwilioCaller caller, string sid, ServiceCatalog catalog, CancellationToken cancellationToken) =>
        TwilioSids.IsService(sid) && await catalog.FindBySidAsync(sid, cancellationToken) is { } service && (caller.IsAdmin || service.Id == caller.ServiceId)
            ? service
            : null;

    private static async Task<IResult> CreateAsync(HttpContext context, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (!caller.IsAdmin)
        {
            return Forbidden("This account belongs to one service; services are created with an admin account.");
        }

        var (form, error) = await TwilioForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (form!["FriendlyName"] is not { } name)
        {
            return TwilioError.Invalid("FriendlyName", "A service needs a FriendlyName.");
        }

        if (Settings(form, ServiceSettings.From(catalog.Global), catalog, out var settings) is { } invalid)
        {
            return invalid;
        }

        if (name.Length > Service.MaxFriendlyNameLength)
        {
            return TwilioError.Invalid("FriendlyName", $"It must be at most {Service.MaxFriendlyNameLength} characters.");
        }

        // Twilio's services have no name of their own; OtpGate's id (for /v1 and the CLI) is made from the friendly name.
        var id = IdFrom(name);
        for (var suffix = 2; ; suffix++)
        {
            if (await catalog.CreateAsync(id, name, settings, cancellationToken) is { } created)
            {
                return TwilioResources.Answer(TwilioResources.Service(created, caller.AccountSid, TwilioResources.Base(context)), StatusCodes.Status201Created);
            }

            // Taken: "my-app-2", "my-app-3" ..., and past a hundred of the same name, its sid's digits.
            id = suffix <= 100 ? IdFrom(name, suffix) : Service.NewSid().ToLowerInvariant();
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        var query = context.Request.Query;
        var pageSize = DefaultPageSize;
        var page = 0;
        if ((query["PageSize"].ToString() is { Length: > 0 } size && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > MaxPageSize))
            || (query["Page"].ToString() is { Length: > 0 } number && (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page > 1_000_000)))
        {
            return TwilioError.Invalid("PageSize", $"PageSize must be from 1 to {MaxPageSize}, and Page a page number from 0.");
        }

        var visible = (await catalog.ListAsync(cancellationToken)).Where(s => caller.IsAdmin || s.Id == caller.ServiceId).ToList();
        var baseUrl = TwilioResources.Base(context);
        string PageUrl(int p) => $"{baseUrl}/Services?PageSize={pageSize}&Page={p}";
        var items = visible.Skip(page * pageSize).Take(pageSize).Select(s => (JsonNode)TwilioResources.Service(s, caller.AccountSid, baseUrl));
        return TwilioResources.Answer(new JsonObject
        {
            ["services"] = new JsonArray([.. items]),
            ["meta"] = new JsonObject
            {
                ["page"] = page,
                ["page_size"] = pageSize,
                ["first_page_url"] = PageUrl(0),
                ["previous_page_url"] = page > 0 ? PageUrl(page - 1) : null,
                ["url"] = PageUrl(page),
                ["next_page_url"] = (long)(page + 1) * pageSize < visible.Count ? PageUrl(page + 1) : null,
                ["key"] = "services",
            },
        });
    }

    private static async Task<IResult> FetchAsync(string sid, HttpContext context, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        return await VisibleAsync(caller, sid, catalog, cancellationToken) is { } service
            ? TwilioResources.Answer(TwilioResources.Service(service, caller.AccountSid, TwilioResources.Base(context)))
            : TwilioError.Missing(context);
    }

    private static async Task<IResult> UpdateAsync(string sid, HttpContext context, ServiceCatalog catalog, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (await VisibleAsync(caller, sid, catalog, cancellationToken) is not { } current)
        {
            return TwilioError.Missing(context);
        }

        var (form, error) = await TwilioForm.ReadAsync(context);
        if (error is not null)
        {
            return error;
        }

        if (current.ConfigurationSection is not null)
        {
            // The next start writes it again from the configuration: a change made here would be lost without a word.
            return Forbidden($"Service {current.Id} is declared in the configuration; change {string.Join(", ", ChangedKeys(current, form!))} there and restart "
                + "(a change through this API would be overwritten at the next start). Services created through the API are changed here.");
        }

        if (Settings(form!, current.Settings, catalog, out var settings) is { } invalid)
        {
            return invalid;
        }

        var name = form!["FriendlyName"] ?? current.FriendlyName;
        if (name.Length > Service.MaxFriendlyNameLength)
        {
            return TwilioError.Invalid("FriendlyName", $"It must be at most {Service.MaxFriendlyNameLength} characters.");
        }

        return await catalog.UpdateAsync(current.Id, name, settings, cancellationToken) is { } updated
            ? TwilioResources.Answer(TwilioResources.Service(updated, caller.AccountSid, TwilioResources.Base(context)))
            : TwilioError.Missing(context);
    }

    private static async Task<IResult> DeleteAsync(string sid, HttpContext context, ServiceCatalog catalog, IOptions<ApiOptions> api, CancellationToken cancellationToken)
    {
        var caller = TwilioCaller.From(context)!;
        if (await VisibleAsync(caller, sid, catalog, cancellationToken) is not { } service)
        {
            return TwilioError.Missing(context);
        }

        if (!caller.IsAdmin)
        {
            return Forbidden("This account belongs to one service; services are deleted with an admin account.");
        }

        // As /v1: deleting it would leave these keys able to authenticate but to start nothing, so they are repointed first.
        var keys = api.Value.ServiceKeys.Where(k => k.Value.Service == service.Id).Select(k => $"{ApiOptions.SectionName}:ServiceKeys:{k.Key}:Service").Order(StringComparer.Ordinal).ToList();
        if (keys.Count > 0 && service.Source == ServiceSource.Api)
        {
            var (names, them) = keys.Count == 1 ? ("names", "that key") : ("name", "those keys");
            return Forbidden($"{string.Join(", ", keys)} {names} this service; point {them} at another service or remove {them}, restart, then delete it.");
        }

        return await catalog.DeleteAsync(service.Id, cancellationToken) switch
        {
            ServiceDeletion.Deleted => Results.NoContent(),
            ServiceDeletion.IsDefault => Forbidden("The default service is not deleted; its settings come from the Verification section of the configuration."),
            ServiceDeletion.IsConfigured => Forbidden($"Service {service.Id} is declared in the configuration ({service.ConfigurationSection}); remove {service.ConfigurationSection} "
                + "there and restart: it then stays as a service managed through the API, which can be deleted."),
            ServiceDeletion.HasPending => Forbidden("A verification of this service is pending; delete the service once none is."),
            ServiceDeletion.NotFound => TwilioError.Missing(context),
            // A deletion outcome added later answers a clear refusal until it is given its own sentence, never a 500.
            _ => Forbidden("This service cannot be deleted now."),
        };
    }

    /// <summary>
    /// The settings Twilio's parameters map to (<c>CodeLength</c>, <c>CustomCodeEnabled</c>) laid over <paramref name="current"/>,
    /// checked with the configuration's bounds; the error to answer when they are not valid. Twilio's other service
    /// parameters (lookup, PSD2, TTS, push, TOTP, templates ...) are accepted and ignored.
    /// </summary>
    private static TwilioError? Settings(TwilioForm form, ServiceSettings current, ServiceCatalog catalog, out ServiceSettings settings)
    {
        settings = current;
        if (!form.TryInt("CodeLength", 4, 10, out var codeLength))
        {
            return TwilioError.Invalid("CodeLength", "It must be a number of digits from 4 to 10.");
        }

        if (!form.TryBool("CustomCodeEnabled", out var customCode))
        {
            return TwilioError.Invalid("CustomCodeEnabled", "It must be true or false.");
        }

        settings = current with { CodeLength = codeLength ?? current.CodeLength, CustomCodeEnabled = customCode ?? current.CustomCodeEnabled };
        var problems = catalog.Problems(settings);
        return problems.Count > 0 ? TwilioError.Invalid("CodeLength", string.Join(" ", problems)) : null;
    }

    /// <summary>
    /// The configuration keys a refused update of a configured service would have changed (<c>Services:shop:CodeLength</c>),
    /// or the section's placeholder when it named none. The default service's name exists only under <c>Services:default</c>.
    /// </summary>
    private static List<string> ChangedKeys(Service service, TwilioForm form)
    {
        var keys = new[] { nameof(ServiceSettings.CodeLength), nameof(ServiceSettings.CustomCodeEnabled) }
            .Where(setting => form[setting] is not null).Select(setting => service.ConfigurationKey(setting)!).ToList();
        if (form["FriendlyName"] is not null)
        {
            keys.Add(service.Id == Service.DefaultId ? $"{ServicesConfiguration.SectionName}:{Service.DefaultId}:FriendlyName" : service.ConfigurationKey("FriendlyName")!);
        }

        return keys.Count > 0 ? keys : [service.ConfigurationKey("<Setting>")!];
    }

    /// <summary>Lower-case letters and digits of the friendly name, joined by '-': "My App" is <c>my-app</c>, then <c>my-app-2</c>.</summary>
    internal static string IdFrom(string friendlyName, int suffix = 1)
    {
        var id = new StringBuilder();
        foreach (var c in friendlyName.ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                id.Append(c);
            }
            else if (id.Length > 0 && id[^1] != '-')
            {
                id.Append('-');
            }
        }

        var stem = id.ToString().Trim('-');
        stem = stem.Length == 0 ? "service" : stem[..Math.Min(stem.Length, 48)].TrimEnd('-');
        return suffix == 1 ? stem : $"{stem}-{suffix.ToString(CultureInfo.InvariantCulture)}";
    }

    private static TwilioError Forbidden(string message) => new(TwilioError.Forbidden, StatusCodes.Status403Forbidden, message);
}
