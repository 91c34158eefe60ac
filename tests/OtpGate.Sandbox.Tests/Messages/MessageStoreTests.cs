using System.Net;
using System.Runtime.Versioning;
using OtpGate.Sandbox.Messages;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Messages;

/// <summary><c>Sandbox:DataFolder</c>: the inbox's messages survive a restart, in a private and bounded file.</summary>
public sealed class MessageStoreTests
{
    private static Action<SandboxOptions> In(TempFolder folder, int keep = 1000) => o =>
    {
        o.DataFolder = folder.Combine("data");
        o.MaxStoredMessages = keep;
    };

    private static async Task SendAndWaitReadAsync(TestSandbox sandbox, string phone, string code)
    {
        await sandbox.Api.SendAsync(Requests.Otp(phone, code));
        await sandbox.Messages.WaitForMessageAsync(phone, m => m.Code == code && m.Status == "read", Wait.Timeout());
    }

    [Fact]
    public async Task After_a_restart_on_the_same_folder_the_inbox_still_shows_the_message()
    {
        using var folder = new TempFolder();
        SandboxMessage before;
        await using (var first = await TestSandbox.StartAsync(In(folder)))
        {
            await SendAndWaitReadAsync(first, "12125550100", "482913");
            before = first.Messages.GetLatestMessage("12125550100")!;
        }

        await using var second = await TestSandbox.StartAsync(In(folder));

        var after = Assert.Single(second.Messages.GetMessages("+1 212 555 0100"));
        Assert.Equal(before.Id, after.Id);
        Assert.Equal("482913", after.Code);
        Assert.Equal(before.Text, after.Text);
        Assert.Equal(before.Statuses, after.Statuses);
        Assert.Equal(before.AcceptedAt, after.AcceptedAt);
        Assert.Equal(before.Ttl, after.Ttl);
        Assert.Equal("read", after.Status);
        Assert.Same(after, second.Messages.FindMessage(before.Id));
        var inbox = await second.Api.GetAbsoluteAsync(new Uri(second.Server.BaseUrl, "_sandbox/messages?phone=12125550100").ToString());
        Assert.Equal("482913", inbox.Json[0]!["code"]!.GetValue<string>());
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_file_is_readable_by_its_owner_only()
    {
        using var folder = new TempFolder();
        await using var sandbox = await TestSandbox.StartAsync(In(folder));
        await SendAndWaitReadAsync(sandbox, "12125550100", "482913");

        var file = Path.Combine(folder.Combine("data"), MessageJournal.FileName);
        Assert.Equal(file, sandbox.Messages.StorePath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder.Combine("data")));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_file_left_readable_by_others_is_replaced_by_a_private_one_at_start()
    {
        using var folder = new TempFolder();
        await using (var first = await TestSandbox.StartAsync(In(folder)))
        {
            await SendAndWaitReadAsync(first, "12125550100", "482913");
        }

        var file = Path.Combine(folder.Combine("data"), MessageJournal.FileName);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var second = await TestSandbox.StartAsync(In(folder));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Single(second.Messages.GetMessages("12125550100"));
    }

    [Fact]
    public async Task Only_the_most_recent_messages_are_kept_and_the_file_stays_bounded()
    {
        using var folder = new TempFolder();
        await using (var first = await TestSandbox.StartAsync(In(folder, keep: 2)))
        {
            // Four messages, each written at acceptance and at three statuses: 16 lines, past the 4-per-kept bound (8).
            foreach (var (phone, code) in new[] { ("12125550100", "100001"), ("12125550111", "100002"), ("12125550112", "100003"), ("12125550113", "100004") })
            {
                await SendAndWaitReadAsync(first, phone, code);
            }

            Assert.InRange(File.ReadAllLines(first.Messages.StorePath!).Length, 1, 2 + (4 * 2));
        }

        await using var second = await TestSandbox.StartAsync(In(folder, keep: 2));

        Assert.Equal(["12125550113", "12125550112"], second.Messages.GetConversations().Select(c => c.Phone));
        Assert.Equal(2, File.ReadAllLines(second.Messages.StorePath!).Length);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task While_the_folder_cannot_be_written_sends_still_work_and_the_file_is_whole_once_it_can()
    {
        using var folder = new TempFolder();
        var data = folder.Combine("data");
        await using (var sandbox = await TestSandbox.StartAsync(In(folder, keep: 2)))
        {
            // Two messages fill the bound (four lines each); the third one's first write must replace the file.
            await SendAndWaitReadAsync(sandbox, "12125550100", "100001");
            await SendAndWaitReadAsync(sandbox, "12125550111", "100002");
            using (Unwritable(data))
            {
                Assert.Equal(HttpStatusCode.OK, (await sandbox.Api.SendAsync(Requests.Otp("12125550112", "100003"))).Status);
                await sandbox.Messages.WaitForMessageAsync("12125550112", m => m.Status == "read", Wait.Timeout());
            }

            await SendAndWaitReadAsync(sandbox, "12125550113", "100004");
        }

        await using var restarted = await TestSandbox.StartAsync(In(folder, keep: 2));

        Assert.Equal(["12125550113", "12125550112"], restarted.Messages.GetConversations().Select(c => c.Phone));
        Assert.Equal("read", restarted.Messages.GetLatestMessage("12125550112")!.Status);
    }

    /// <summary>A folder no new file can be created in: immutable for root (who ignores permission bits), else without write bits.</summary>
    [UnsupportedOSPlatform("windows")]
    private static Scope Unwritable(string folder)
    {
        if (Environment.IsPrivilegedProcess)
        {
            Run("chattr", "+i", folder);
            return new Scope(() => Run("chattr", "-i", folder));
        }

        var mode = File.GetUnixFileMode(folder);
        File.SetUnixFileMode(folder, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new Scope(() => File.SetUnixFileMode(folder, mode));
    }

    private static void Run(string command, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(command, arguments);
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    private sealed class Scope(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    [Fact]
    public async Task A_line_cut_short_by_a_crash_is_skipped_and_the_rest_is_read()
    {
        using var folder = new TempFolder();
        await using (var first = await TestSandbox.StartAsync(In(folder)))
        {
            await SendAndWaitReadAsync(first, "12125550100", "482913");
        }

        await File.AppendAllTextAsync(Path.Combine(folder.Combine("data"), MessageJournal.FileName), """{"id":"wamid.cut","pho""", TestContext.Current.CancellationToken);
        await using var second = await TestSandbox.StartAsync(In(folder));

        Assert.Equal("482913", Assert.Single(second.Messages.GetMessages("12125550100")).Code);
        Assert.Null(second.Messages.FindMessage("wamid.cut"));
    }

    [Fact]
    public async Task Clear_empties_the_file_too()
    {
        using var folder = new TempFolder();
        await using (var first = await TestSandbox.StartAsync(In(folder)))
        {
            await SendAndWaitReadAsync(first, "12125550100", "482913");
            first.Messages.Clear();
        }

        await using var second = await TestSandbox.StartAsync(In(folder));

        Assert.Empty(second.Messages.GetConversations());
    }

    [Fact]
    public async Task Without_a_data_folder_nothing_is_written()
    {
        await using var sandbox = await TestSandbox.StartAsync();
        await SendAndWaitReadAsync(sandbox, "12125550100", "482913");

        Assert.Null(sandbox.Messages.StorePath);
    }
}
