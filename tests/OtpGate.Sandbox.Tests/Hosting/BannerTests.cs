namespace OtpGate.Sandbox.Tests.Hosting;

/// <summary>The banner of the sandbox alone says where its messages are kept, so a restart that empties the inbox is no surprise.</summary>
public sealed class BannerTests
{
    [Fact]
    public void Without_a_data_folder_the_banner_says_a_restart_empties_the_inbox()
    {
        var lines = SandboxBanner.Lines(new SandboxOptions(), ["http://127.0.0.1:5090"]).ToList();

        Assert.Equal("Messages:         in memory only; a restart empties the inbox (set Sandbox:DataFolder to keep them)", lines[^1]);
    }

    [Fact]
    public void With_a_data_folder_the_banner_names_the_file_and_how_many_it_keeps()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sandbox-banner");
        var lines = SandboxBanner.Lines(new SandboxOptions { DataFolder = folder, MaxStoredMessages = 50 }, ["http://127.0.0.1:5090"]).ToList();

        Assert.Equal($"Messages kept in: {Path.Combine(folder, "sandbox-messages.jsonl")} (the last 50)", lines[^1]);
    }
}
