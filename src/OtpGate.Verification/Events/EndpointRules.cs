using OtpGate.Verification.Services;

namespace OtpGate.Verification.Events;

/// <summary>What makes an endpoint well-formed, as sentences; shared by the configuration check and the API.</summary>
public static class EndpointRules
{
    /// <summary>The problems of an endpoint's fields (none when it is well-formed). A null secret is generated, so it is not a problem.</summary>
    public static List<string> Check(string? id, string? url, string? service, IReadOnlyList<string>? types, string? secret)
    {
        var problems = new List<string>();
        if (!Service.IsValidId(id))
        {
            problems.Add($"The endpoint id \"{id}\" is not valid: lower-case letters, digits, '-' and '_', starting with a letter or digit, at most 64.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            problems.Add($"The endpoint {id}'s URL must be an absolute http or https URL without credentials.");
        }

        if (service is not null && !Service.IsValidId(service))
        {
            problems.Add($"The endpoint {id}'s service \"{service}\" is not a valid service id.");
        }

        foreach (var type in types ?? [])
        {
            if (EventTypes.TryParse(type) is null)
            {
                problems.Add($"The endpoint {id}'s event type \"{type}\" is unknown; the types are {string.Join(", ", EventTypes.All.Select(t => t.ToWireName()))}.");
            }
        }

        if (types is { Count: 0 })
        {
            problems.Add($"The endpoint {id}'s event types are empty; leave them out for every type.");
        }

        if (secret is not null && WebhookSecret.TryParseKey(secret) is null)
        {
            problems.Add($"The endpoint {id}'s secret must be \"{WebhookSecret.Prefix}\" and the base64 of 24 to 64 bytes.");
        }

        return problems;
    }

    /// <summary>A comma list of types as a list (null when none is given).</summary>
    public static IReadOnlyList<string>? SplitTypes(string? types) =>
        string.IsNullOrWhiteSpace(types) ? null : types.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The stored form: ",a,b," (so one LIKE finds a type), or null for every type.</summary>
    internal static string? StoreTypes(IReadOnlyList<string>? types) =>
        types is null ? null : "," + string.Join(',', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)) + ",";

    internal static IReadOnlyList<string>? LoadTypes(string? stored) =>
        stored?.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
