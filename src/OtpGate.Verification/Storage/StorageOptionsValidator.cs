using Microsoft.Extensions.Options;

namespace OtpGate.Verification.Storage;

/// <summary>
/// The storage settings' start-up check, run by the server before it starts and by <c>otpgate doctor</c>. Each message
/// names the key, says what is wrong and gives an example.
/// </summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) => options.GetProvider() switch
    {
        StorageProvider.Postgres when string.IsNullOrWhiteSpace(options.ConnectionString) =>
            ValidateOptionsResult.Fail("Storage:Provider is postgres but Storage:ConnectionString is empty; set it, e.g. Storage__ConnectionString=\"Host=db.internal;Database=otpgate;Username=otpgate;Password=...\"."),
        StorageProvider.Postgres => ValidateOptionsResult.Success,
        null => ValidateOptionsResult.Fail($"Storage:Provider is \"{options.Provider}\"; use sqlite (the default) or postgres, e.g. Storage__Provider=sqlite."),
        _ when string.IsNullOrWhiteSpace(options.DataDirectory) =>
            ValidateOptionsResult.Fail("Storage:DataDirectory is empty; set the folder for the SQLite database and generated secrets, e.g. ./data."),
        _ => ValidateOptionsResult.Success,
    };
}
