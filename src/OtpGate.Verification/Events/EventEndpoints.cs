using Microsoft.Extensions.Options;
using OtpGate.Verification.Codes;
using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Events;

/// <summary>An endpoint as the API and the CLI show it: never its secret.</summary>
public sealed record EventEndpoint(
    string Id, string Url, string? Service, IReadOnlyList<string>? Types, string State, string? DisabledReason,
    DateTimeOffset? FailingSince, string Source, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PreviousSecretUntil);

/// <summary>What a change to an endpoint did: the endpoint (and its secret when one was made or set), or why not.</summary>
public sealed record EndpointChange(EndpointOutcome Outcome, EventEndpoint? Endpoint = null, string? Secret = null, IReadOnlyList<string>? Problems = null);

public enum EndpointOutcome
{
    Done,
    Invalid,
    Exists,
    NotFound,

    /// <summary>Declared in configuration: changed there, not through the API.</summary>
    Configured,
}

/// <summary>
/// Where events go: endpoints per service or for every service, each with its <c>whsec_</c> secret stored encrypted
/// under the server secret (bound to the endpoint's id), managed through the API and the CLI, and the configured ones
/// written at every start.
/// </summary>
public sealed class EventEndpoints(Database database, CodeProtector protector, IOptions<EventOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<EventEndpoint>> ListAsync(CancellationToken cancellationToken) =>
        [.. (await EventEndpointStore.ListAsync(database, enabledOnly: false, cancellationToken)).Select(View)];

    /// <summary>Adds an endpoint through the API; its secret is generated when none is given, and answered once.</summary>
    public async Task<EndpointChange> AddAsync(string id, string url, string? service, IReadOnlyList<string>? types, string? secret, CancellationToken cancellationToken)
    {
        if (EndpointRules.Check(id, url, service, types, secret) is { Count: > 0 } problems)
        {
            return new EndpointChange(EndpointOutcome.Invalid, Problems: problems);
        }

        secret ??= WebhookSecret.Generate();
        var now = Now;
        var row = new EndpointRow
        {
            Id = id, Url = url, ServiceId = service, Types = EndpointRules.StoreTypes(types), State = "enabled", Source = "api",
            CreatedAt = now, UpdatedAt = now,
        };
        Protect(row, secret);
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (!await EventEndpointStore.InsertAsync(scope, row))
        {
            return new EndpointChange(EndpointOutcome.Exists);
        }

        await scope.CommitAsync(cancellationToken);
        return new EndpointChange(EndpointOutcome.Done, View(row), secret);
    }

    public Task<EndpointChange> RemoveAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, allowConfigured: false, async (scope, _) =>
        {
            await EventEndpointStore.DeleteAsync(scope, id);
            return new EndpointChange(EndpointOutcome.Done);
        }, cancellationToken);

    /// <summary>A new secret (given or generated); the previous one also signs for <see cref="EventOptions.RotationOverlap"/>.</summary>
    public Task<EndpointChange> RotateSecretAsync(string id, string? secret, CancellationToken cancellationToken)
    {
        if (secret is not null && WebhookSecret.TryParseKey(secret) is null)
        {
            return Task.FromResult(new EndpointChange(EndpointOutcome.Invalid, Problems: [.. EndpointRules.Check(id, "https://x", null, null, secret)]));
        }

        secret ??= WebhookSecret.Generate();
        return ChangeAsync(id, allowConfigured: false, async (scope, row) =>
        {
            Rotate(row, secret, Now);
            await EventEndpointStore.UpdateAsync(scope, row);
            return new EndpointChange(EndpointOutcome.Done, View(row), secret);
        }, cancellationToken);
    }

    /// <summary>Enables a disabled endpoint again (after a 410 or days of failures): its deliveries still open resume.</summary>
    public Task<EndpointChange> EnableAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, allowConfigured: true, async (scope, row) =>
        {
            (row.State, row.DisabledReason, row.FailingSince, row.UpdatedAt) = ("enabled", null, null, Now);
            await EventEndpointStore.UpdateAsync(scope, row);
            return new EndpointChange(EndpointOutcome.Done, View(row));
        }, cancellationToken);

    /// <summary>Writes the configured endpoints: new ones added, changed ones updated (a changed secret rotated); returns how many were written.</summary>
    public async Task<int> SeedAsync(IReadOnlyDictionary<string, EventEndpointOptions> declared, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var (id, endpoint) in declared)
        {
            var now = Now;
            await using var scope = await database.BeginWriteAsync(cancellationToken);
            var types = EndpointRules.StoreTypes(EndpointRules.SplitTypes(endpoint.Types));
            if (await EventEndpointStore.FindAsync(scope, id) is not { } row)
            {
                row = new EndpointRow { Id = id, State = "enabled", CreatedAt = now };
                Protect(row, endpoint.Secret!);
                (row.Url, row.ServiceId, row.Types, row.Source, row.UpdatedAt) = (endpoint.Url!, endpoint.Service, types, "configuration", now);
                await EventEndpointStore.InsertAsync(scope, row);
            }
            else if (row.Url != endpoint.Url || row.ServiceId != endpoint.Service || row.Types != types || row.Source != "configuration"
                     || SecretOf(row) != endpoint.Secret)
            {
                if (SecretOf(row) != endpoint.Secret)
                {
                    Rotate(row, endpoint.Secret!, now);
                }

                (row.Url, row.ServiceId, row.Types, row.Source, row.UpdatedAt) = (endpoint.Url!, endpoint.Service, types, "configuration", now);
                await EventEndpointStore.UpdateAsync(scope, row);
            }
            else
            {
                continue;
            }

            await scope.CommitAsync(cancellationToken);
            written++;
        }

        return written;
    }

    /// <summary>The keys that sign for the endpoint now: its secret's, and during a rotation the previous one's too.</summary>
    internal IReadOnlyList<byte[]> SigningKeys(EndpointRow row, long now)
    {
        var keys = new List<byte[]> { WebhookSecret.TryParseKey(SecretOf(row))! };
        if (row.PreviousSecretCipher is { } previous && row.PreviousSecretKeyId is { } keyId && row.PreviousUntil > now)
        {
            keys.Add(WebhookSecret.TryParseKey(protector.Unprotect(Purpose(row.Id), keyId, previous))!);
        }

        return keys;
    }

    private async Task<EndpointChange> ChangeAsync(
        string id, bool allowConfigured, Func<WriteScope, EndpointRow, Task<EndpointChange>> change, CancellationToken cancellationToken)
    {
        await using var scope = await database.BeginWriteAsync(cancellationToken);
        if (await EventEndpointStore.FindAsync(scope, id) is not { } row)
        {
            return new EndpointChange(EndpointOutcome.NotFound);
        }

        if (!allowConfigured && row.Source == "configuration")
        {
            return new EndpointChange(EndpointOutcome.Configured);
        }

        var result = await change(scope, row);
        await scope.CommitAsync(cancellationToken);
        return result;
    }

    private void Rotate(EndpointRow row, string secret, long now)
    {
        (row.PreviousSecretKeyId, row.PreviousSecretCipher, row.PreviousUntil) =
            (row.SecretKeyId, row.SecretCipher, now + (long)options.Value.RotationOverlap.TotalMilliseconds);
        Protect(row, secret);
        row.UpdatedAt = now;
    }

    private void Protect(EndpointRow row, string secret)
    {
        var protectedSecret = protector.Protect(Purpose(row.Id), secret);
        (row.SecretKeyId, row.SecretCipher) = (protectedSecret.KeyId, protectedSecret.Cipher);
    }

    private string SecretOf(EndpointRow row) => protector.Unprotect(Purpose(row.Id), row.SecretKeyId, row.SecretCipher);

    // The associated data of the encryption: a secret copied to another endpoint's row does not decrypt there.
    private static string Purpose(string endpointId) => "event-endpoint:" + endpointId;

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static EventEndpoint View(EndpointRow row) => new(
        row.Id, row.Url, row.ServiceId, EndpointRules.LoadTypes(row.Types), row.State, row.DisabledReason,
        row.FailingSince is { } failing ? DateTimeOffset.FromUnixTimeMilliseconds(failing) : null, row.Source,
        DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt), DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAt),
        row.PreviousUntil is { } until ? DateTimeOffset.FromUnixTimeMilliseconds(until) : null);
}
