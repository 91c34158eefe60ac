using Microsoft.Extensions.Logging;

namespace OtpGate.Verification.Storage;

/// <summary>The storage's log messages: a fault and its end once each, however many writes fail in between.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(1, LogLevel.Error, "Storage writes are failing: {Reason}. API writes answer 503 until they succeed.", EventName = "StorageWritesFailing")]
    public static partial void WritesFailing(ILogger logger, string reason, Exception exception);

    [LoggerMessage(2, LogLevel.Warning, "Storage writes succeed again after {Count} failed writes in {Seconds:0.0} s.", EventName = "StorageWritesRecovered")]
    public static partial void WritesRecovered(ILogger logger, long count, double seconds);

    [LoggerMessage(3, LogLevel.Warning, "The data folder was readable by other users; made owner-only: {Changes}.", EventName = "DataFolderTightened")]
    public static partial void Tightened(ILogger logger, string changes);

    [LoggerMessage(4, LogLevel.Warning, "Could not make {Path} owner-only ({Reason}); other users of this machine may read it.", EventName = "DataFolderNotTightened")]
    public static partial void NotTightened(ILogger logger, string path, string reason);
}
