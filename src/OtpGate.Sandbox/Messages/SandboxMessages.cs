using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OtpGate.Sandbox.Messages;

/// <summary>
/// What reached the sandbox, per phone: accepted messages with their status history and the number
/// of <c>sendTemplate</c> requests (refused ones included). Bounded (least recently active
/// conversations are dropped) and safe under concurrent requests. Register-once singleton: other
/// projects' tests resolve it from <see cref="SandboxServer.Services"/> to read the code a user got.
/// With <see cref="SandboxOptions.DataFolder"/> the messages are also kept on disk (<see cref="MessageJournal"/>)
/// and read back at start; request counts are not.
/// </summary>
public sealed class SandboxMessages : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Conversation> _conversations = new(StringComparer.Ordinal);
    private readonly LinkedList<Conversation> _byActivity = new();
    private readonly Dictionary<string, string> _phoneByMessageId = new(StringComparer.Ordinal);
    private readonly TimeProvider _timeProvider;
    private readonly int _maxConversations;
    private readonly int _maxMessagesPerConversation;
    private readonly MessageJournal? _journal;
    private readonly ILogger _logger;
    private bool _journalFailing;
    private TaskCompletionSource _changed = NewSignal();

    public SandboxMessages(IOptions<SandboxOptions> options, TimeProvider timeProvider, ILogger<SandboxMessages>? logger = null)
    {
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _maxConversations = options.Value.MaxConversations;
        _maxMessagesPerConversation = options.Value.MaxMessagesPerConversation;
        if (options.Value.DataFolder is { Length: > 0 } folder)
        {
            _journal = OpenJournal(folder, options.Value.MaxStoredMessages);
        }
    }

    /// <summary>The file the messages are kept in, or null when they live in memory only.</summary>
    public string? StorePath => _journal?.Path;

    /// <summary>The messages accepted for a phone (digits; <c>+</c>, spaces and dashes are ignored), oldest first.</summary>
    public IReadOnlyList<SandboxMessage> GetMessages(string phone)
    {
        var digits = PhoneDigits.Strip(phone);
        lock (_lock)
        {
            return digits is not null && _conversations.TryGetValue(digits, out var conversation) ? [.. conversation.Messages] : [];
        }
    }

    /// <summary>The most recent message for a phone, or null.</summary>
    public SandboxMessage? GetLatestMessage(string phone) => GetMessages(phone) is [.., var last] ? last : null;

    /// <summary>How many <c>sendTemplate</c> requests named this phone, including refused ones (429, 500, validation errors after the phone).</summary>
    public int GetRequestCount(string phone)
    {
        var digits = PhoneDigits.Strip(phone);
        lock (_lock)
        {
            return digits is not null && _conversations.TryGetValue(digits, out var conversation) ? conversation.RequestCount : 0;
        }
    }

    /// <summary>A message by its <c>wamid.</c> id, or null (unknown or dropped).</summary>
    public SandboxMessage? FindMessage(string messageId)
    {
        lock (_lock)
        {
            return FindLocked(messageId) is var (conversation, index) ? conversation.Messages[index] : null;
        }
    }

    /// <summary>The most recently active conversations first.</summary>
    public IReadOnlyList<SandboxConversation> GetConversations(int limit = int.MaxValue)
    {
        lock (_lock)
        {
            List<SandboxConversation> result = [];
            for (var node = _byActivity.Last; node is not null && result.Count < limit; node = node.Previous)
            {
                result.Add(node.Value.ToSnapshot());
            }

            return result;
        }
    }

    /// <summary>Forgets everything (handy between tests sharing one sandbox).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _conversations.Clear();
            _byActivity.Clear();
            _phoneByMessageId.Clear();
            Report(_journal?.TryRewrite([]));
            SignalLocked();
        }
    }

    public void Dispose() => _journal?.Dispose();

    /// <summary>
    /// Completes with the latest message for the phone that matches the predicate (any message when
    /// null), as soon as one exists. Waits on changes, not on a clock, so it works under a FakeTimeProvider.
    /// </summary>
    public async Task<SandboxMessage> WaitForMessageAsync(string phone, Func<SandboxMessage, bool>? predicate = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            var match = GetMessages(phone).LastOrDefault(m => predicate?.Invoke(m) ?? true);
            if (match is not null)
            {
                return match;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes at the next change of any conversation.</summary>
    internal Task WaitForChangeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    internal void CountRequest(string phone)
    {
        lock (_lock)
        {
            Touch(phone).RequestCount++;
            SignalLocked();
        }
    }

    internal void Add(SandboxMessage message)
    {
        lock (_lock)
        {
            AddLocked(message, Touch(message.Phone));
            Report(_journal?.TryWrite(message, AllLocked));
            SignalLocked();
        }
    }

    /// <summary>Appends a status to a message's history; returns the updated message, or null when it was dropped.</summary>
    internal SandboxMessage? AddStatus(string messageId, SandboxStatusChange change)
    {
        lock (_lock)
        {
            if (FindLocked(messageId) is not var (conversation, index))
            {
                return null;
            }

            var message = conversation.Messages[index];
            var updated = message with { Statuses = [.. message.Statuses, change] };
            conversation.Messages[index] = updated;
            Report(_journal?.TryWrite(updated, AllLocked));
            SignalLocked();
            return updated;
        }
    }

    /// <summary>
    /// Reads the messages back and rewrites the file (cut to the bound, 0600). A folder or file that cannot be read
    /// leaves the sandbox in memory only, with a warning: the inbox is a convenience, never a reason not to start.
    /// </summary>
    private MessageJournal? OpenJournal(string folder, int maxMessages)
    {
        MessageJournal journal;
        try
        {
            journal = MessageJournal.Open(folder, maxMessages);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SandboxLog.MessagesNotStored(_logger, folder, e.Message);
            return null;
        }

        foreach (var message in journal.Loaded)
        {
            Restore(message);
        }

        Report(journal.TryRewrite(journal.Loaded));
        return journal;
    }

    /// <summary>Logs when writing the messages starts failing and when it works again, not at every write.</summary>
    private void Report(Exception? failure)
    {
        if (_journal is null && failure is null)
        {
            return;
        }

        if (failure is not null && !_journalFailing)
        {
            SandboxLog.MessagesWriteFailed(_logger, failure.Message);
        }
        else if (failure is null && _journalFailing)
        {
            SandboxLog.MessagesWrittenAgain(_logger);
        }

        _journalFailing = failure is not null;
    }

    /// <summary>Puts back a message read from disk, its conversation as active as its last status.</summary>
    private void Restore(SandboxMessage message) =>
        AddLocked(message, Touch(message.Phone, message.Statuses is [.., var last] ? last.At : message.AcceptedAt));

    private void AddLocked(SandboxMessage message, Conversation conversation)
    {
        conversation.Messages.Add(message);
        _phoneByMessageId[message.Id] = message.Phone;
        if (conversation.Messages.Count > _maxMessagesPerConversation)
        {
            _phoneByMessageId.Remove(conversation.Messages[0].Id);
            conversation.Messages.RemoveAt(0);
        }
    }

    private List<SandboxMessage> AllLocked() => [.. _conversations.Values.SelectMany(c => c.Messages)];

    private (Conversation Conversation, int Index)? FindLocked(string messageId)
    {
        if (!_phoneByMessageId.TryGetValue(messageId, out var phone) || !_conversations.TryGetValue(phone, out var conversation))
        {
            return null;
        }

        var index = conversation.Messages.FindIndex(m => m.Id == messageId);
        return index < 0 ? null : (conversation, index);
    }

    private Conversation Touch(string phone, DateTimeOffset? at = null)
    {
        if (_conversations.TryGetValue(phone, out var conversation))
        {
            _byActivity.Remove(conversation.Node);
        }
        else
        {
            conversation = new Conversation(phone);
            _conversations[phone] = conversation;
            while (_conversations.Count > _maxConversations && _byActivity.First is { } oldest)
            {
                Drop(oldest.Value);
            }
        }

        conversation.LastActivityAt = at ?? _timeProvider.GetUtcNow();
        _byActivity.AddLast(conversation.Node);
        return conversation;
    }

    private void Drop(Conversation conversation)
    {
        _byActivity.Remove(conversation.Node);
        _conversations.Remove(conversation.Phone);
        foreach (var message in conversation.Messages)
        {
            _phoneByMessageId.Remove(message.Id);
        }
    }

    private void SignalLocked()
    {
        var previous = _changed;
        _changed = NewSignal();
        previous.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Conversation
    {
        public Conversation(string phone)
        {
            Phone = phone;
            Node = new LinkedListNode<Conversation>(this);
        }

        public string Phone { get; }

        public LinkedListNode<Conversation> Node { get; }

        public List<SandboxMessage> Messages { get; } = [];

        public int RequestCount { get; set; }

        public DateTimeOffset LastActivityAt { get; set; }

        public SandboxConversation ToSnapshot() => new(Phone, RequestCount, LastActivityAt, [.. Messages]);
    }
}
