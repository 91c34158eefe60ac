using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Services;

/// <summary>
/// The services, read from the database through a cache of parsed settings keyed by version: an operation reads only
/// the service's <c>version</c> (one indexed row, inside its own transaction) and parses the settings again only when
/// another instance, or this one, changed them. So a change committed anywhere is used by the next operation
/// everywhere, with no timer and no notification to miss.
/// </summary>
public sealed class ServiceCatalog(Database database, IOptions<VerificationOptions> options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, Service> _cache = new(StringComparer.Ordinal);

    /// <summary>The options outside any service (dispatch, retention, the phone-wide caps) that a service's are laid over.</summary>
    public VerificationOptions Global => options.Value;

    /// <summary>The service as the transaction sees it; null when there is none with this id.</summary>
    internal Task<Service?> FindAsync(WriteScope scope, string id) => FindAsync(scope.Connection, scope.Transaction, id);

    /// <summary>The service as the connection (and transaction, if any) sees it; null when there is none with this id.</summary>
    internal async Task<Service?> FindAsync(DbConnection connection, DbTransaction? transaction, string id)
    {
        var version = await ServiceStore.FindVersionAsync(connection, id, transaction);
        if (version is null)
        {
            return null;
        }

        if (_cache.TryGetValue(id, out var cached) && cached.Version == version)
        {
            return cached;
        }

        return Remember(await ServiceStore.FindAsync(connection, id, transaction));
    }

    /// <summary>
    /// The service as committed now, for a page or answer that states its settings: one indexed read of its version, the
    /// settings parsed again only when it changed. Null when there is none with this id.
    /// </summary>
    public async Task<Service?> CurrentAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await FindAsync(connection, null, id);
    }

    /// <summary>The settings of the service as committed now; the <c>Verification</c> options' for the default service before the configuration is written.</summary>
    public async Task<ServiceSettings?> CurrentSettingsAsync(string id, CancellationToken cancellationToken) =>
        (await CurrentAsync(id, cancellationToken))?.Settings ?? (id == Service.DefaultId ? ServiceSettings.From(Global) : null);

    public async Task<Service?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Remember(await ServiceStore.FindAsync(connection, id));
    }

    /// <summary>The service with this Twilio-shaped sid (<c>VA</c> and 32 hex digits); null when there is none.</summary>
    public async Task<Service?> FindBySidAsync(string sid, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return Remember(await ServiceStore.FindBySidAsync(connection, sid));
    }

    public async Task<IReadOnlyList<Service>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await ServiceStore.ListAsync(connection)).Select(row => Remember(row)!)];
    }

    /// <summary>Creates a service through the API; null when the id is taken. The caller has checked the id and settings (<see cref="Problems"/>).</summary>
    public async Task<Service?> CreateAsync(string id, string friendlyName, ServiceSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (!await ServiceStore.InsertAsync(scope, Row(id, friendlyName, settings, ServiceSource.Api, now)))
        {
            return null;
        }

        var created = await FindAsync(scope, id);
        await scope.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>Replaces a service's name and settings; null when there is none with this id.</summary>
    public async Task<Service?> UpdateAsync(string id, string friendlyName, ServiceSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (!await ServiceStore.UpdateAsync(scope, id, friendlyName, JsonSerializer.Serialize(settings, Json), now))
        {
            return null;
        }

        var updated = await FindAsync(scope, id);
        await scope.CommitAsync(cancellationToken);
        return updated;
    }

    /// <summary>Deletes a service that has no pending verification; the default service is never deleted.</summary>
    public async Task<ServiceDeletion> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (id == Service.DefaultId)
        {
            return ServiceDeletion.IsDefault;
        }

        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (await FindAsync(scope, id) is not { } service)
        {
            return ServiceDeletion.NotFound;
        }

        // The next start would write it again: it is removed from the configuration, then deleted.
        if (service.Source == ServiceSource.Configuration)
        {
            return ServiceDeletion.IsConfigured;
        }

        if (await ServiceStore.HasPendingAsync(scope, id))
        {
            return ServiceDeletion.HasPending;
        }

        await ServiceStore.DeleteAsync(scope, id);
        await scope.CommitAsync(cancellationToken);
        _cache.TryRemove(id, out _);
        return ServiceDeletion.Deleted;
    }

    /// <summary>
    /// Writes the services the configuration declares (the default one first), each only when it differs, and hands
    /// those it declared before but no longer does over to the API (they stay, with their verifications and keys).
    /// </summary>
    public async Task<ServiceSeeding> SeedAsync(IReadOnlyCollection<ServiceDeclaration> declared, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        var changed = 0;
        foreach (var service in declared)
        {
            changed += await ServiceStore.UpsertAsync(scope, Row(service.Id, service.FriendlyName, service.Settings, ServiceSource.Configuration, now)) ? 1 : 0;
        }

        var released = await ServiceStore.ReleaseUndeclaredAsync(scope, [.. declared.Select(s => s.Id)], now);
        await scope.CommitAsync(cancellationToken);
        return new ServiceSeeding(changed, released);
    }

    /// <summary>What is wrong with these settings for a service, each in a sentence naming the API's field (<c>settings.codeLength</c>); empty when nothing is.</summary>
    public IReadOnlyList<string> Problems(ServiceSettings settings) => Problems(settings, ApiField);

    /// <summary>What is wrong with these settings, each in a sentence naming the setting as <paramref name="name"/> does (given its key, e.g. <c>CodeLength</c>).</summary>
    public IReadOnlyList<string> Problems(ServiceSettings settings, Func<string, string> name) =>
        [.. new VerificationOptionsValidator(name).Validate(null, settings.Over(Global)) is { Failed: true } failed ? failed.Failures : [],
         .. settings.Spend.DailyCap < 0 || settings.Spend.MonthlyCap < 0
            ? [$"{name(nameof(ServiceSettings.Spend))} caps (dailyCap, monthlyCap) must be 0 (no cap) or a positive amount in Spend:Currency."]
            : Array.Empty<string>()];

    /// <summary><c>CodeLength</c> as the admin API's JSON field: <c>settings.codeLength</c> (<c>Sms:DeliveryDeadline</c>: <c>settings.sms.deliveryDeadline</c>).</summary>
    public static string ApiField(string key) => "settings." + string.Join('.', key.Split(':').Select(JsonNamingPolicy.CamelCase.ConvertName));

    private static ServiceRow Row(string id, string friendlyName, ServiceSettings settings, ServiceSource source, long now) => new()
    {
        Id = id, Sid = Service.NewSid(), FriendlyName = friendlyName, Settings = JsonSerializer.Serialize(settings, Json),
        Source = source == ServiceSource.Api ? "api" : "configuration", CreatedAt = now, UpdatedAt = now,
    };

    private Service? Remember(ServiceRow? row)
    {
        if (row is null)
        {
            return null;
        }

        var service = new Service(row.Id, row.Sid, row.FriendlyName, JsonSerializer.Deserialize<ServiceSettings>(row.Settings, Json)!,
            row.Source == "api" ? ServiceSource.Api : ServiceSource.Configuration, row.Version,
            DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt));
        _cache[row.Id] = service;
        return service;
    }
}

/// <summary>A service as the configuration declares it.</summary>
public sealed record ServiceDeclaration(string Id, string FriendlyName, ServiceSettings Settings);

/// <summary>What seeding did: how many declared services it wrote, and the ids of those it handed over to the API.</summary>
public sealed record ServiceSeeding(int Changed, IReadOnlyList<string> Released);

public enum ServiceDeletion
{
    Deleted,
    NotFound,
    IsDefault,
    HasPending,

    /// <summary>Declared in configuration: removed there first (then it is an API service), or the next start writes it again.</summary>
    IsConfigured,
}
