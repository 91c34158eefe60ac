using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>The storage settings are read in one place (<see cref="StorageOptions.GetProvider"/>) and checked by one validator.</summary>
public sealed class StorageOptionsTests
{
    [Theory]
    [InlineData("sqlite", StorageProvider.Sqlite)]
    [InlineData("", StorageProvider.Sqlite)]
    [InlineData(" SQLite ", StorageProvider.Sqlite)]
    [InlineData("postgres", StorageProvider.Postgres)]
    [InlineData("PostgreSQL", StorageProvider.Postgres)]
    [InlineData("mysql", null)]
    public void The_provider_is_named_in_any_case(string provider, StorageProvider? expected) =>
        Assert.Equal(expected, new StorageOptions { Provider = provider }.GetProvider());

    [Theory]
    [InlineData("postgres", null, "Storage:Provider is postgres but Storage:ConnectionString is empty")]
    [InlineData("mysql", null, "Storage:Provider is \"mysql\"; use sqlite (the default) or postgres")]
    [InlineData("sqlite", "", "Storage:DataDirectory is empty")]
    public void Storage_settings_are_checked_with_the_key_named(string provider, string? dataDirectory, string expected)
    {
        var result = new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = provider, DataDirectory = dataDirectory ?? "./data" });

        Assert.StartsWith(expected, Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void Valid_settings_pass(string provider) =>
        Assert.True(new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = provider, ConnectionString = "Host=db" }).Succeeded);

    [Fact]
    public void A_wrong_provider_stops_the_database_from_being_created_with_the_same_sentence()
    {
        var error = Assert.Throws<InvalidOperationException>(() => VerificationServiceCollectionExtensions.CreateDatabase(new StorageOptions { Provider = "mysql" }));

        Assert.StartsWith("Storage:Provider is \"mysql\"", error.Message, StringComparison.Ordinal);
    }
}
