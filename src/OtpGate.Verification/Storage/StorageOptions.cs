namespace OtpGate.Verification.Storage;

/// <summary>Where verifications are stored, bound from the <c>Storage</c> section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>sqlite</c> (the default, one host) or <c>postgres</c> (several instances).</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Where the SQLite database and the generated secrets live.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>The PostgreSQL connection string (with <c>Provider=postgres</c>).</summary>
    public string? ConnectionString { get; set; }

    public override string ToString() => $"StorageOptions {{ Provider = {Provider}, DataDirectory = {DataDirectory} }}";
}
