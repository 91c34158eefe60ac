using System.Text;
using System.Text.Json;

namespace OtpGate.Sandbox.Messages;

/// <summary>
/// The sandbox's messages on disk, so the inbox survives a restart: <c>sandbox-messages.jsonl</c> in the data folder,
/// one JSON snapshot of a message per line, appended at each change (the last line of an id wins). The file holds the
/// codes the fake phone received, so it is written 0600 (a looser one is replaced) in a folder created 0700. It is
/// rewritten cut to the most recent <c>maxMessages</c> at start and whenever the lines appended pass four per kept
/// message, so it never grows without bound. A write that fails (a full disk) is reported, never thrown: the sandbox
/// goes on in memory, and the next write rewrites the file whole.
/// </summary>
internal sealed class MessageJournal : IDisposable
{
    public const string FileName = "sandbox-messages.jsonl";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly JsonSerializerOptions Format = new(JsonSerializerDefaults.Web);

    private readonly string _path;
    private readonly int _maxMessages;
    private FileStream? _stream;
    private int _appended;

    private MessageJournal(string path, int maxMessages, IReadOnlyList<SandboxMessage> kept)
    {
        _path = path;
        _maxMessages = maxMessages;
        Loaded = kept;
    }

    /// <summary>The messages read at start, oldest first (at most <c>maxMessages</c>).</summary>
    public IReadOnlyList<SandboxMessage> Loaded { get; }

    public string Path => _path;

    /// <summary>
    /// Opens (or creates) the journal in <paramref name="folder"/> and reads what it holds; lines that cannot be read are
    /// skipped. Throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/> when the folder or the file
    /// cannot be read at all.
    /// </summary>
    public static MessageJournal Open(string folder, int maxMessages)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = System.IO.Path.Combine(folder, FileName);
        return new MessageJournal(path, maxMessages, File.Exists(path) ? Latest(File.ReadLines(path), maxMessages) : []);
    }

    /// <summary>
    /// Writes a message's current snapshot; called under the messages' lock, so lines keep the order of changes. The
    /// first write, one after a failure, and one past the bound rewrite the file whole from <paramref name="everything"/>
    /// (so a file that missed changes while the disk was full is whole again). Returns the failure, or null.
    /// </summary>
    public Exception? TryWrite(SandboxMessage message, Func<IReadOnlyList<SandboxMessage>> everything)
    {
        try
        {
            if (_stream is null || ++_appended > 4 * _maxMessages)
            {
                Rewrite(Latest(everything(), _maxMessages));
                return null;
            }

            _stream.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, Format) + "\n"));
            _stream.Flush();
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Close();
            return e;
        }
    }

    /// <summary>Replaces the file with <paramref name="kept"/> (at start, and with none when the messages are cleared); returns the failure, or null.</summary>
    public Exception? TryRewrite(IReadOnlyList<SandboxMessage> kept)
    {
        try
        {
            Rewrite(kept);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Close();
            return e;
        }
    }

    public void Dispose() => Close();

    private void Close()
    {
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Flushing into a full disk: the next write rewrites the file whole anyway.
        }

        _stream = null;
    }

    private static List<SandboxMessage> Latest(IEnumerable<string> lines, int maxMessages)
    {
        List<SandboxMessage> snapshots = [];
        foreach (var line in lines)
        {
            try
            {
                if (!string.IsNullOrWhiteSpace(line) && JsonSerializer.Deserialize<SandboxMessage>(line, Format) is { Id: not null, Phone: not null } message)
                {
                    snapshots.Add(message);
                }
            }
            catch (JsonException)
            {
                // A line cut short by a crash mid-write: the snapshots before it still stand.
            }
        }

        return Latest(snapshots, maxMessages);
    }

    /// <summary>The last snapshot of each message, the most recent <paramref name="maxMessages"/> of them, oldest first.</summary>
    private static List<SandboxMessage> Latest(IEnumerable<SandboxMessage> snapshots, int maxMessages)
    {
        Dictionary<string, SandboxMessage> byId = new(StringComparer.Ordinal);
        foreach (var message in snapshots)
        {
            byId[message.Id] = message;
        }

        return [.. byId.Values.OrderBy(m => m.AcceptedAt).TakeLast(maxMessages)];
    }

    /// <summary>Writes <paramref name="kept"/> to a fresh 0600 file that replaces the journal, and keeps it open for appending.</summary>
    private void Rewrite(IReadOnlyList<SandboxMessage> kept)
    {
        Close();
        var temporary = _path + ".tmp";
        File.Delete(temporary);
        using (var fresh = new FileStream(temporary, CreateOptions(FileMode.Create)))
        {
            foreach (var message in kept)
            {
                fresh.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message, Format) + "\n"));
            }
        }

        File.Move(temporary, _path, overwrite: true);
        _appended = 0;
        _stream = new FileStream(_path, CreateOptions(FileMode.Append));
    }

    private static FileStreamOptions CreateOptions(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            // The mode applies to a file created now; the temporary file always is, and it replaces the journal.
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }
}
