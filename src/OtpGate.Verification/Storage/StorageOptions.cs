namespace OtpGate.Verification.Storage;

/// <summary>The databases the engine runs on.</summary>
public enum StorageProvider
{
    /// <summary>A SQLite file in the data directory: one host.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: several instances may share it.</summary>
    Postgres,
}

/// <summary>Where verifications are stored, bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (the default, one host) or <c>postgres</c> (several instances); see <see cref="GetProvider"/>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Where the SQLite database and the generated secrets live.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The PostgreSQL connection string (with <c>Provider=postgres</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The database <see cref="Provider"/> names, the one place it is read: <c>sqlite</c> or empty, <c>postgres</c> or
    /// <c>postgresql</c>, in any case and with spaces around. Null when it names none (<see cref="StorageOptionsValidator"/> says so).
    /// </summary>
    public StorageProvider? GetProvider() => (Provider ?? "").Trim().ToUpperInvariant() switch
    {
        "SQLITE" or "" => StorageProvider.Sqlite,
        "POSTGRES" or "POSTGRESQL" => StorageProvider.Postgres,
        _ => null,
    };

    public override string ToString() => $"StorageOptions {{ Provider = {Provider}, DataDirectory = {DataDirectory} }}";
}
