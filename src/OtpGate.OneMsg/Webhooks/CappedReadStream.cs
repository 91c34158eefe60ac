namespace OtpGate.OneMsg.Webhooks;

/// <summary>
/// Reads a body through to the parser, stopping with <see cref="BodyTooLargeException"/> as soon as it passes the cap
/// (a chunked body has no length to check first), and noting whether it held anything but whitespace (so that a blank
/// body is called empty rather than invalid).
/// </summary>
internal sealed class CappedReadStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    private static ReadOnlySpan<byte> Blank => [(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n', 0xEF, 0xBB, 0xBF];

    public bool SawContent { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Count(buffer.Span[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(ReadOnlySpan<byte> read)
    {
        _read += read.Length;
        if (_read > maxBytes)
        {
            throw new BodyTooLargeException();
        }

        // The bytes of a UTF-8 byte order mark count as blank here; only the wording of the error depends on it.
        SawContent = SawContent || read.IndexOfAnyExcept(Blank) >= 0;
        return read.Length;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The body passed the cap <see cref="CappedReadStream"/> was given.</summary>
internal sealed class BodyTooLargeException() : IOException("The body is larger than allowed.");
