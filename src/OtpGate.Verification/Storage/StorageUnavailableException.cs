namespace OtpGate.Verification.Storage;

/// <summary>
/// The storage cannot be used, said as a sentence for the person running the server: what failed, where, and what to
/// do (thrown at start-up, where a read-only folder or an unreachable PostgreSQL stops the server).
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The first <see cref="StorageUnavailableException"/> in <paramref name="exception"/>'s chain, if any.</summary>
    public static StorageUnavailableException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case StorageUnavailableException storage:
                    return storage;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Select(Find).FirstOrDefault(found => found is not null);
            }
        }

        return null;
    }
}
