using OtpGate.Verification.Storage;

namespace OtpGate.Verification.Tests.Storage;

/// <summary>The rule for migration files: one script for both databases, or from 0004 on a pair of per-database scripts.</summary>
public sealed class MigrationFileTests
{
    private static readonly string[] Files = ["0001_initial.sql", "0004_accounts.sql", "0005_rebuild.sqlite.sql", "0005_rebuild.postgres.sql", "0006_more.sql"];

    [Theory]
    [InlineData("sqlite", "0005_rebuild.sqlite.sql")]
    [InlineData("postgres", "0005_rebuild.postgres.sql")]
    public void Each_database_runs_its_own_file_of_a_pair_and_the_shared_ones(string dialect, string own)
    {
        var scripts = Migrator.Select(Files.Reverse(), dialect);

        Assert.Equal([1L, 4, 5, 6], scripts.Select(s => s.Version));
        Assert.Equal(["0001_initial.sql", "0004_accounts.sql", own, "0006_more.sql"], scripts.Select(s => s.File));
        // Recorded under the same name on both databases.
        Assert.Equal("0005_rebuild", scripts[2].Name);
    }

    [Theory]
    [InlineData("0005_rebuild.sqlite.sql")] // half a pair
    [InlineData("0005_rebuild.sql", "0005_rebuild.postgres.sql")] // shared and per-database at once
    [InlineData("0005_rebuild.sql", "0005_other.sql")] // two scripts with one version
    [InlineData("0003_early.sqlite.sql", "0003_early.postgres.sql")] // a pair before 0004
    public void A_set_of_files_that_breaks_the_rule_is_refused(params string[] files)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Migrator.Select(["0001_initial.sql", .. files], "sqlite"));

        Assert.Contains("NNNN_name.sqlite.sql and NNNN_name.postgres.sql", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public void The_shipped_files_follow_the_rule(string dialect)
    {
        var shipped = typeof(Migrator).Assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith("OtpGate.Migrations/", StringComparison.Ordinal)).Select(r => r["OtpGate.Migrations/".Length..]);

        var scripts = Migrator.Select(shipped, dialect);

        Assert.Equal(Enumerable.Range(1, scripts.Count).Select(v => (long)v), scripts.Select(s => s.Version));
    }
}
